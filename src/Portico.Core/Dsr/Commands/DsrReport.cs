using System.Text;
using Portico.Configuration;

namespace Portico.Dsr.Commands;

/// <summary><c>show dsr</c>: the DSR ports (interface, VIPs, real servers by ARP, frame counters), then the -m MAC vservers.</summary>
internal sealed record DsrReport(IReadOnlyList<DsrPortView> Ports, IReadOnlyList<DsrVserverRow> Vservers) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var p in Ports)
        {
            sb.Append($"Interface {p.Interface} ({p.Mac}): {(p.Failure is null ? "serving" : "stopped: " + p.Failure)}\n");
            sb.Append($"\tVIPs: {string.Join(", ", p.Vips)}\n");
            sb.Append($"\tFrames received {p.Received}, unmatched {p.Unmatched}, for other MACs {p.NotForUs}; "
                + $"ARP requests answered {p.ArpRequestsAnswered}, server probes {p.ArpProbesSent}, gratuitous {p.GratuitousArpsSent}; "
                + $"flows in table {p.LiveFlows}\n");
            var servers = new TextTable("  Server", "MAC", "ARP", "Last answer");
            foreach (var b in p.Servers)
            {
                servers.Row("  " + b.Ip, b.Mac ?? "-", b.Answers ? "answers" : "NO ANSWER", b.SecondsSinceAnswer is { } s ? $"{s:0.0} s ago" : "never");
            }

            sb.Append(servers);
            foreach (var t in p.ArpTraps)
            {
                sb.Append($"\tARP trap: {t.Mac}{(t.RealServer is { } server ? $" (real server {server})" : "")} also answered ARP for VIP {t.Vip} at {t.At:u}\n");
            }
        }

        var table = new TextTable("Vserver", "VIP:Port", "Protocol", "Servers(usable/total)", "Packets", "Bytes", "Flows", "Denied", "NoServer", "Status");
        foreach (var v in Vservers)
        {
            table.Row(v.Name, v.Endpoint, v.Protocol, v.ServersTotal is { } total ? $"{v.ServersUsable}/{total}" : "-",
                v.Packets, v.Bytes, v.Flows, v.Denied, v.NoServer, v.Status ?? "-");
        }

        return sb.Append(table).ToString();
    }
}

/// <summary>One DSR port: an interface with its forwarder thread.</summary>
/// <param name="Failure">Why it stopped, or null while it serves.</param>
/// <param name="NotForUs">Frames for other MACs.</param>
internal sealed record DsrPortView(string Interface, string Mac, string? Failure, IReadOnlyList<string> Vips, long Received, long Unmatched, long NotForUs,
    long ArpRequestsAnswered, long ArpProbesSent, long GratuitousArpsSent, int LiveFlows, IReadOnlyList<DsrServerView> Servers, IReadOnlyList<DsrArpTrap> ArpTraps);

/// <summary>A real server as ARP sees it.</summary>
/// <param name="Mac">Null until it answered ARP.</param>
/// <param name="SecondsSinceAnswer">Null when it never answered.</param>
internal sealed record DsrServerView(string Ip, string? Mac, bool Answers, double? SecondsSinceAnswer);

/// <summary>Another host that answered ARP for a VIP (a real server without its loopback ARP settings, typically).</summary>
/// <param name="RealServer">The real server with that MAC, or null when it is none of them.</param>
internal sealed record DsrArpTrap(string Mac, string? RealServer, string Vip, DateTimeOffset At);

/// <summary>One -m MAC vserver.</summary>
/// <param name="ServersTotal">Null while no DSR port serves it.</param>
/// <param name="Status">Why it is not served, or null.</param>
internal sealed record DsrVserverRow(string Name, string Endpoint, string Protocol, int? ServersUsable, int? ServersTotal, long Packets, long Bytes, long Flows,
    long Denied, long NoServer, string? Status);
