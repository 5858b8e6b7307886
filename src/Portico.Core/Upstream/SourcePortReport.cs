using System.Globalization;
using System.Text;
using Portico.Runtime;

namespace Portico.Upstream;

/// <summary>
/// What <c>stat lb vserver</c> and <c>stat service</c> say about source ports: how many connections each
/// member can hold (source addresses × ports of the ephemeral range), how many it holds, and, when clients
/// were refused for want of a port, which member starved, from which sources, and what to add.
/// </summary>
internal static class SourcePortReport
{
    /// <summary>The section of <c>stat lb vserver &lt;name&gt;</c>: one line per member.</summary>
    public static string ForVserver(VserverRuntime vserver)
    {
        var sb = new StringBuilder();
        var refused = Interlocked.Read(ref vserver.Counters.SourcePortsExhausted);
        var ports = LocalPortRange.Read().Size;
        sb.Append(CultureInfo.InvariantCulture, $"Source ports ({ports} per source address toward one server ip:port): {refused} connection(s) refused for want of one\n");
        foreach (var m in vserver.Members.Select(m => m.Service).Distinct())
        {
            sb.Append("  ").Append(Line(m, ports)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Lines for members that refused clients for want of a source port; empty when none did.</summary>
    public static string Starved(IEnumerable<ServiceRuntime> members)
    {
        var ports = LocalPortRange.Read().Size;
        var lines = members.Where(m => Interlocked.Read(ref m.Counters.SourcePortsExhausted) > 0 || m.ClientIp.SourcePorts.IsStarved)
            .Select(m => "  " + Line(m, ports)).ToList();
        return lines.Count == 0 ? "" : "Source ports exhausted:\n" + string.Join('\n', lines) + "\n";
    }

    private static string Line(ServiceRuntime m, int ports)
    {
        var open = Volatile.Read(ref m.Counters.CurrentConnections);
        var refused = Interlocked.Read(ref m.Counters.SourcePortsExhausted);
        string capacity;
        if (m.ClientIp.Usip)
        {
            capacity = m.ClientIp.UseProxyPort ? $"USIP: {ports} per client address" : "USIP with the client's own ports";
        }
        else
        {
            var sources = m.SourceAddresses.Count == 0 ? "kernel-chosen source" : string.Join(", ", m.SourceAddresses);
            var n = Math.Max(1, m.SourceAddresses.Count);
            capacity = $"from {sources}: {n * ports} ({n} x {ports}), {Percent(open, n * (long)ports)} used";
        }

        var status = m.ClientIp.SourcePorts;
        var text = $"{m.Name} ({m.Endpoint}): {open} open, {capacity}; refused {refused}";
        if (status.IsStarved)
        {
            text += $"; STARVED since {status.Since:yyyy-MM-dd HH:mm:ss} UTC ({status.LastDetail}): {status.Advice}";
        }
        else if (status.Since is { } last)
        {
            text += $"; last starved {last:yyyy-MM-dd HH:mm:ss} UTC";
        }

        return text;
    }

    private static string Percent(long part, long whole) =>
        whole == 0 ? "-" : (100.0 * part / whole).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
