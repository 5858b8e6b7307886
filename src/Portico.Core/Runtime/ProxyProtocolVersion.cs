using Portico.CommandLanguage;

namespace Portico.Runtime;

/// <summary>The PROXY protocol version a net profile sends (<c>-proxyProtocolTxVersion</c>).</summary>
public enum ProxyProtocolVersion
{
    /// <summary>Version 1: one line of text (<c>PROXY TCP4 src dst sport dport\r\n</c>).</summary>
    V1,

    /// <summary>Version 2: binary, with type-length-value extensions.</summary>
    V2,
}

/// <summary>The operator's words for <see cref="ProxyProtocolVersion"/>.</summary>
public static class ProxyProtocolVersions
{
    public static readonly KeywordMap<ProxyProtocolVersion> Words = new(("V1", ProxyProtocolVersion.V1), ("V2", ProxyProtocolVersion.V2));
}
