using System.Text;
using Portico.Upstream;

namespace Portico.ClientIp.Commands;

/// <summary>How a vserver passes the client's address: PROXY headers it requires (and refusals), USIP or PROXY toward members, source ports.</summary>
/// <param name="ProxyProtocolRequired">Its net profile requires a PROXY header from clients.</param>
/// <param name="Members">The members that get the client's address (USIP, or a PROXY header they are sent).</param>
internal sealed record VserverClientIp(bool ProxyProtocolRequired, long ProxyHeaderMissing, long ProxyHeaderMalformed, long ProxyHeaderTimeouts,
    IReadOnlyList<MemberClientIp> Members, VserverSourcePorts SourcePorts)
{
    public string ToText()
    {
        var sb = new StringBuilder();
        if (ProxyProtocolRequired || ProxyHeaderMissing + ProxyHeaderMalformed + ProxyHeaderTimeouts > 0)
        {
            sb.Append($"PROXY protocol: {(ProxyProtocolRequired ? "required from clients" : "not required now")}; "
                + $"connections refused: {ProxyHeaderMissing} without a header, {ProxyHeaderMalformed} malformed, {ProxyHeaderTimeouts} too slow\n");
        }

        if (Members.Count > 0)
        {
            sb.Append($"Client IP toward servers: {string.Join("; ", Members.Select(m => m.Text))}\n");
        }

        return sb.Append(SourcePorts.ToText()).ToString();
    }
}

/// <summary>One member that sees the client's address.</summary>
/// <param name="UseProxyPort">With USIP: false when the client's own port is kept.</param>
/// <param name="SendsProxy">The PROXY protocol version sent (<c>V1</c>, <c>V2</c>), or null.</param>
internal sealed record MemberClientIp(string Service, bool Usip, bool UseProxyPort, string? SendsProxy)
{
    public string Text =>
        $"{Service}: {string.Join(", ", new[] { Usip ? "USIP" + (UseProxyPort ? "" : " (client's port)") : null, SendsProxy is { } v ? $"PROXY {v} sent" : null }.OfType<string>())}";
}
