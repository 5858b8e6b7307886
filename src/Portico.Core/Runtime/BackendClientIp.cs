using Portico.ClientIp;

namespace Portico.Runtime;

/// <summary>
/// How a member's server connections carry the client's address, compiled from its settings, its net
/// profile and <c>ns mode USIP</c>: a PROXY header first, the client's address as source (USIP), or
/// neither (the server sees a SNIP). Its source-port status carries over config changes. Compiled by
/// <c>ClientIp.BackendClientIpPlan</c>, which knows net profiles and modes.
/// </summary>
public sealed class BackendClientIp
{
    public BackendClientIp(ProxyProtocolVersion? sendProxy, bool usip, bool useProxyPort, SourcePortStatus sourcePorts)
    {
        SendProxy = sendProxy;
        Usip = usip;
        UseProxyPort = useProxyPort;
        SourcePorts = sourcePorts;
    }

    /// <summary>The PROXY protocol version sent first on every server connection; null for none.</summary>
    public ProxyProtocolVersion? SendProxy { get; }

    /// <summary>Server connections leave from the client's address (<c>-usip YES</c>, or <c>ns mode USIP</c> when unset).</summary>
    public bool Usip { get; }

    /// <summary>With USIP: Portico picks the source port (YES, the default) or keeps the client's (NO).</summary>
    public bool UseProxyPort { get; }

    /// <summary>Whether the member is starved of source ports now, and why.</summary>
    public SourcePortStatus SourcePorts { get; }

    /// <summary>
    /// A server connection belongs to one client (its header or source address names the client): it must
    /// not be reused for another one (the L7 path opens a connection per request for such members).
    /// </summary>
    public bool IsPerClient => SendProxy is not null || Usip;

    /// <summary>A member with none of it, for runtimes built outside the compiler.</summary>
    public static BackendClientIp None() => new(null, false, true, new SourcePortStatus());
}
