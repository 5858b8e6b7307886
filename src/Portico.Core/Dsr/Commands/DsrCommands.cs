using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Dsr;

namespace Portico.Dsr.Commands;

/// <summary><c>show dsr</c> (a Portico command): the DSR ports, their real servers' ARP state and counters.</summary>
internal sealed class DsrCommands : ICommandModule
{
    public void Register(CommandRegistry r) =>
        r.Query("show", "dsr", "Shows the direct server return ports: interfaces, VIPs, real servers by ARP, counters")
            .Positional("name", Values.Name, "a -m MAC vserver's name", required: false)
            .Runs<DsrListeners>(dsr => (ctx, c) => Show(dsr, ctx, c));

    private static DsrReport Show(DsrListeners dsr, CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var config = ctx.Config;
        var vservers = config.Vservers.Where(v => v.Mode == LoadBalancing.RedirectionMode.Mac && (name is null || v.Name == name)).ToList();
        if (name is not null && vservers.Count == 0)
        {
            throw c.Error("name", config.VserversByName.ContainsKey(name) ? $"lb vserver '{name}' is not -m MAC" : $"no lb vserver named '{name}'");
        }

        var now = Environment.TickCount64;
        var ports = dsr.Ports.Where(p => name is null || vservers.Any(v => dsr.Served(v.Name)?.Port == p)).Select(port =>
        {
            var k = port.Counters;
            return new DsrPortView(port.Interface.Name, Frame.FormatMac(port.Interface.Mac), port.Failure, [.. port.Model.Vips.Select(v => Frame.ToAddress(v).ToString())],
                Read(ref k.Received), Read(ref k.Unmatched), Read(ref k.NotForUs), Read(ref k.ArpRequestsAnswered), Read(ref k.ArpProbesSent),
                Read(ref k.GratuitousArpsSent), port.LiveFlows,
                [.. port.Model.Backends.Select(b => new DsrServerView(b.Ip.ToString(), b.Mac == 0 ? null : Frame.FormatMac(b.Mac), b.Reachable(now),
                    b.LastAnswerMs == long.MinValue ? null : (now - b.LastAnswerMs) / 1000.0))],
                [.. port.VipClaims.Select(x => new DsrArpTrap(Frame.FormatMac(x.Value.Mac),
                    port.Model.Backends.FirstOrDefault(b => b.Mac == x.Value.Mac)?.Ip.ToString(), Frame.ToAddress(x.Key).ToString(), x.Value.At))]);
        }).ToList();

        var rows = vservers.Select(v =>
        {
            var d = dsr.Served(v.Name)?.Vserver;
            var k = d?.Counters;
            return new DsrVserverRow(v.Name, v.Endpoint, LoadBalancing.ServiceTypes.Words[v.Type], d?.Choice.Hash.UpCount, d?.Members.Length,
                k is null ? 0 : Read(ref k.Packets), k is null ? 0 : Read(ref k.Bytes), k is null ? 0 : Read(ref k.Flows),
                k is null ? 0 : Read(ref k.Denied), k is null ? 0 : Read(ref k.NoMember), dsr.StatusOf(v.Name));
        }).ToList();
        return new DsrReport(ports, rows);
    }

    private static long Read(ref long field) => Volatile.Read(ref field);
}
