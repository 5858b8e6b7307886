using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Dsr;
using Portico.Listeners;

namespace Portico.Dsr.Commands;

/// <summary><c>show dsr</c> (a Portico command): the DSR ports, their real servers' ARP state and counters.</summary>
internal sealed class DsrCommands : ICommandModule
{
    public void Register(CommandRegistry r) =>
        r.Query("show", "dsr", "Shows the direct server return ports: interfaces, VIPs, real servers by ARP, counters")
            .Positional("name", Values.Name, "a -m MAC vserver's name", required: false)
            .Runs(Show);

    private static string Show(CommandContext ctx, ParsedCommand c)
    {
        var dsr = ctx.Get<IEnumerable<IVserverListeners>>().OfType<DsrListeners>().Single();
        var name = c.MaybeRef<string>("name");
        var config = ctx.Config;
        var vservers = config.Vservers.Where(v => v.Mode == LoadBalancing.RedirectionMode.Mac && (name is null || v.Name == name)).ToList();
        if (name is not null && vservers.Count == 0)
        {
            throw c.Error("name", config.VserversByName.ContainsKey(name) ? $"lb vserver '{name}' is not -m MAC" : $"no lb vserver named '{name}'");
        }

        var sb = new StringBuilder();
        var now = Environment.TickCount64;
        foreach (var port in dsr.Ports.Where(p => name is null || vservers.Any(v => dsr.Served(v.Name)?.Port == p)))
        {
            var k = port.Counters;
            sb.Append($"Interface {port.Interface.Name} ({Frame.FormatMac(port.Interface.Mac)}): {(port.Failure is null ? "serving" : "stopped: " + port.Failure)}\n");
            sb.Append($"\tVIPs: {string.Join(", ", port.Model.Vips.Select(Frame.ToAddress))}\n");
            sb.Append($"\tFrames received {Read(ref k.Received)}, unmatched {Read(ref k.Unmatched)}, for other MACs {Read(ref k.NotForUs)}; "
                + $"ARP requests answered {Read(ref k.ArpRequestsAnswered)}, server probes {Read(ref k.ArpProbesSent)}, gratuitous {Read(ref k.GratuitousArpsSent)}; "
                + $"flows in table {port.LiveFlows}\n");
            var servers = new TextTable("  Server", "MAC", "ARP", "Last answer");
            foreach (var b in port.Model.Backends)
            {
                var last = b.LastAnswerMs == long.MinValue ? "never" : $"{(now - b.LastAnswerMs) / 1000.0:0.0} s ago";
                servers.Row("  " + b.Ip, b.Mac == 0 ? "-" : Frame.FormatMac(b.Mac), b.Reachable(now) ? "answers" : "NO ANSWER", last);
            }

            sb.Append(servers);
            foreach (var (vip, claim) in port.VipClaims)
            {
                var who = port.Model.Backends.FirstOrDefault(b => b.Mac == claim.Mac) is { } server ? $" (real server {server.Ip})" : "";
                sb.Append($"\tARP trap: {Frame.FormatMac(claim.Mac)}{who} also answered ARP for VIP {Frame.ToAddress(vip)} at {claim.At:u}\n");
            }
        }

        var table = new TextTable("Vserver", "VIP:Port", "Protocol", "Servers(usable/total)", "Packets", "Bytes", "Flows", "Denied", "NoServer", "Status");
        foreach (var v in vservers)
        {
            var served = dsr.Served(v.Name);
            var d = served?.Vserver;
            var k = d?.Counters;
            table.Row(v.Name, v.Endpoint, LoadBalancing.ServiceTypes.Words[v.Type], d is null ? "-" : $"{d.Choice.Hash.UpCount}/{d.Members.Length}",
                k is null ? 0 : Read(ref k.Packets), k is null ? 0 : Read(ref k.Bytes), k is null ? 0 : Read(ref k.Flows),
                k is null ? 0 : Read(ref k.Denied), k is null ? 0 : Read(ref k.NoMember), dsr.StatusOf(v.Name) ?? "-");
        }

        sb.Append(table);
        return sb.ToString();
    }

    private static long Read(ref long field) => Volatile.Read(ref field);
}
