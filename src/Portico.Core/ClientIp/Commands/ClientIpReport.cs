using Portico.Runtime;
using Portico.Upstream;

namespace Portico.ClientIp.Commands;

/// <summary>The client-IP part of <c>stat lb vserver &lt;name&gt;</c>: PROXY headers refused, client IP toward servers, and source ports per member.</summary>
internal static class ClientIpReport
{
    public static VserverClientIp ForVserver(VserverRuntime vserver)
    {
        var k = vserver.Counters;
        return new VserverClientIp(vserver.AcceptsProxyProtocol, Interlocked.Read(ref k.ProxyHeaderMissing), Interlocked.Read(ref k.ProxyHeaderMalformed),
            Interlocked.Read(ref k.ProxyHeaderTimeouts),
            [.. vserver.Members.Select(m => m.Service).Distinct()
                .Where(m => m.ClientIp.Usip || m.ClientIp.SendProxy is not null)
                .Select(m => new MemberClientIp(m.Name, m.ClientIp.Usip, m.ClientIp.UseProxyPort,
                    m.ClientIp.SendProxy is { } v ? ProxyProtocolVersions.Words[v] : null))],
            SourcePortReport.ForVserver(vserver));
    }
}
