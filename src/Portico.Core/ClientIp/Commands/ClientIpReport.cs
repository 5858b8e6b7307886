using System.Text;
using Portico.Runtime;
using Portico.Upstream;

namespace Portico.ClientIp.Commands;

/// <summary>The client-IP part of <c>stat lb vserver &lt;name&gt;</c>: PROXY headers refused, and source ports per member.</summary>
internal static class ClientIpReport
{
    public static string ForVserver(VserverRuntime vserver)
    {
        var sb = new StringBuilder();
        var k = vserver.Counters;
        var missing = Interlocked.Read(ref k.ProxyHeaderMissing);
        var malformed = Interlocked.Read(ref k.ProxyHeaderMalformed);
        var timeouts = Interlocked.Read(ref k.ProxyHeaderTimeouts);
        if (vserver.AcceptsProxyProtocol || missing + malformed + timeouts > 0)
        {
            sb.Append($"PROXY protocol: {(vserver.AcceptsProxyProtocol ? "required from clients" : "not required now")}; "
                + $"connections refused: {missing} without a header, {malformed} malformed, {timeouts} too slow\n");
        }

        var modes = vserver.Members.Select(m => m.Service).Distinct()
            .Select(m => (m.Name, Mode: m.ClientIp.Usip ? "USIP" + (m.ClientIp.UseProxyPort ? "" : " (client's port)") : null, Proxy: m.ClientIp.SendProxy))
            .Where(x => x.Mode is not null || x.Proxy is not null)
            .Select(x => $"{x.Name}: {string.Join(", ", new[] { x.Mode, x.Proxy is { } v ? $"PROXY {Runtime.ProxyProtocolVersions.Words[v]} sent" : null }.OfType<string>())}")
            .ToList();
        if (modes.Count > 0)
        {
            sb.Append($"Client IP toward servers: {string.Join("; ", modes)}\n");
        }

        sb.Append(SourcePortReport.ForVserver(vserver));
        return sb.ToString();
    }
}
