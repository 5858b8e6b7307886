using System.Net;
using System.Text;
using Portico.Appliance.Commands;
using Portico.Appliance;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Engine;
using Portico.Health.Commands;
using Portico.Health;
using Portico.Runtime;

namespace Portico.LoadBalancing.Commands;

/// <summary>The <c>show</c> commands of the core objects: a table for all, a detailed block for one.</summary>
internal static class ShowCommands
{
    public static string Vservers(CommandContext ctx, ParsedCommand c)
    {
        var engine = ctx.Get<PorticoEngine>();
        var runtime = engine.Runtime;
        var name = c.MaybeRef<string>("name");
        if (name is not null)
        {
            return runtime.Vservers.TryGetValue(name, out var one)
                ? Detail(one, engine) + Partial(ctx.Config, name, "\t")
                : throw c.Error("name", $"no lb vserver named '{name}'");
        }

        var partial = Configuration.PartialObjects.Of(ctx.Config);
        var table = new TextTable("Name", "Type", "VIP:Port", "State", "Method", "Services(up/total)", "Listener");
        foreach (var v in runtime.Vservers.Values.OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            table.Row(v.Name, ServiceTypes.Words[v.Config.Type], v.Config.Endpoint, v.StateWord, LbMethods.Words[v.Config.Method],
                $"{v.Members.Count(m => m.Service.IsAvailable)}/{v.Members.Count}", engine.Listeners.StatusOf(v.Name));
        }

        return $"{table.Count} lb vserver(s)\n{table}"
            + string.Concat(runtime.Vservers.Values.OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => PartialLine(partial, "lb vserver", v.Name, v.Config.Enabled, "")));
    }

    /// <summary>Why a vserver does not do all its NetScaler lines say (its policies were not applied), or nothing.</summary>
    private static string Partial(Configuration.RunningConfig config, string name, string indent) =>
        PartialLine(config, "lb vserver", name, !config.VserversByName.TryGetValue(name, out var v) || v.Enabled, indent);

    /// <summary>Why an object does not do all its NetScaler lines say (a policy or monitor not applied), or nothing.</summary>
    private static string PartialLine(Configuration.RunningConfig config, string kind, string name, bool enabled, string indent) =>
        PartialLine(Configuration.PartialObjects.Of(config), kind, name, enabled, indent);

    private static string PartialLine(IReadOnlyList<Configuration.PartialObject> partial, string kind, string name, bool enabled, string indent) =>
        Configuration.PartialObjects.ReasonFor(partial, kind, name) is { } reason
            ? $"{indent}{name}: {(enabled ? "ENABLED, partial" : "DISABLED")}: {reason}\n"
            : "";

    private static string Detail(VserverRuntime v, PorticoEngine engine)
    {
        var cfg = v.Config;
        var sb = new StringBuilder();
        sb.Append($"{cfg.Name} ({cfg.Endpoint}) - {ServiceTypes.Words[cfg.Type]}\n");
        sb.Append($"\tState: {v.StateWord}\n");
        sb.Append($"\tListener: {engine.Listeners.StatusOf(v.Name)}\n");
        sb.Append($"\tConfigured Method: {LbMethods.Words[cfg.Method]}");
        sb.Append(cfg.BackupMethod is { } bm ? $"\tBackup Method: {LbMethods.Words[bm]}\n" : "\n");
        sb.Append($"\tPersistence: {PersistenceTypes.Words[cfg.Persistence]}");
        sb.Append(cfg.Persistence != PersistenceType.None ? $"\tPersistence Timeout: {cfg.PersistenceTimeoutMinutes} min\n" : "\n");
        sb.Append($"\tClient Idle Timeout: {(cfg.ClientTimeout is { } t ? $"{t} sec" : "default")}\n");
        if (cfg.BackupVserver is not null)
        {
            sb.Append($"\tBackup Vserver: {cfg.BackupVserver}\n");
        }

        if (cfg.SpilloverThreshold is { } so)
        {
            sb.Append($"\tSpillover: CONNECTION, threshold {so}\n");
        }

        if (cfg.DisablePrimaryOnDown)
        {
            sb.Append(v.Hold.IsHeld
                ? $"\tDisable primary on down: ENABLED - HELD on backup vserver since {v.Hold.Since:yyyy-MM-dd HH:mm:ss.fff} UTC; 'enable lb vserver {cfg.Name}' gives traffic back\n"
                : "\tDisable primary on down: ENABLED\n");
        }

        if (cfg.Comment is not null)
        {
            sb.Append($"\tComment: \"{cfg.Comment}\"\n");
        }

        sb.Append($"\tNo. of Bound Services: {v.Members.Count} (Total) {v.Members.Count(m => m.Service.IsAvailable)} (Active)\n");
        var i = 1;
        foreach (var m in v.Members)
        {
            var s = m.Service;
            sb.Append($"{i++}) {s.Name} ({s.Endpoint}) - {ServiceTypes.Words[s.Type]}\tState: {s.StateWord}\tWeight: {m.Weight}\n");
        }

        return sb.ToString();
    }

    public static string Services(CommandContext ctx, ParsedCommand c)
    {
        var runtime = ctx.Get<PorticoEngine>().Runtime;
        var health = ctx.Get<HealthMonitors>();
        var name = c.MaybeRef<string>("name");
        var services = ctx.Config.Services.Where(s => name is null || s.Name == name).ToList();
        if (name is not null && services.Count == 0)
        {
            throw c.Error("name", $"no service named '{name}'");
        }

        if (name is not null)
        {
            var s = services[0];
            var r = runtime.Services[s.Name];
            return $"{s.Name} ({r.Endpoint}) - {ServiceTypes.Words[s.Type]}\tServer: {s.ServerName}\tMaxClient: {(s.Settings.MaxClient == 0 ? "-" : s.Settings.MaxClient)}\n"
                + MonitorViews.MemberDetail(health, r, ctx.Get<TimeProvider>().GetUtcNow())
                + PartialLine(ctx.Config, "service", s.Name, s.Enabled, "\t");
        }

        var table = new TextTable("Name", "Server", "Address", "Type", "State", "MaxClient", "Last change", "Monitors", "Probes/failed", "Reason");
        foreach (var s in services)
        {
            var r = runtime.Services[s.Name];
            table.Row(s.Name, s.ServerName, r.Endpoint, ServiceTypes.Words[s.Type], r.StateWord,
                s.Settings.MaxClient == 0 ? "-" : s.Settings.MaxClient, r.Health.LastChange.ToString("yyyy-MM-dd HH:mm:ss.fff"),
                MonitorViews.MonitorNames(health, r), MonitorViews.ProbeCounts(health, r), Reason(r));
        }

        var partial = Configuration.PartialObjects.Of(ctx.Config);
        return $"{table.Count} service(s)\n{table}" + string.Concat(services.Select(s => PartialLine(partial, "service", s.Name, s.Enabled, "")));
    }

    /// <summary>Why a member is not taking traffic: the failed monitor and layer, or that it is disabled.</summary>
    private static string Reason(ServiceRuntime r) =>
        !r.AdminEnabled ? "disabled" : r.Health.State == HealthState.Down ? r.Health.LastReason ?? "-" : "-";

    public static string ServiceGroups(CommandContext ctx, ParsedCommand c)
    {
        var runtime = ctx.Get<PorticoEngine>().Runtime;
        var health = ctx.Get<HealthMonitors>();
        var name = c.MaybeRef<string>("serviceGroupName");
        var groups = ctx.Config.ServiceGroups.Where(g => name is null || g.Name == name).ToList();
        if (name is not null && groups.Count == 0)
        {
            throw c.Error("serviceGroupName", $"no service group named '{name}'");
        }

        var sb = new StringBuilder();
        foreach (var g in groups)
        {
            sb.Append($"{g.Name} - {ServiceTypes.Words[g.Type]}\tState: {(g.Enabled ? "ENABLED" : "DISABLED")}\tMembers: {g.Members.Count}\n");
            var monitors = ctx.Config.MonitorBindings.Where(b => b.Target == g.Name).Select(b => b.Monitor).ToList();
            sb.Append($"\tMonitors: {(!g.Settings.HealthMonitor ? "off (-healthMonitor NO)" : monitors.Count == 0 ? "none bound (tcp-default)" : string.Join(", ", monitors))}\n");
            var table = new TextTable("  Member", "Address", "Weight", "State", "Last change", "Probes/failed", "Reason");
            foreach (var m in g.Members)
            {
                var r = runtime.Services[m.DisplayName(g.Name)];
                table.Row("  " + m.ServerName, r.Endpoint, m.Weight, r.StateWord, r.Health.LastChange.ToString("yyyy-MM-dd HH:mm:ss.fff"),
                    MonitorViews.ProbeCounts(health, r), Reason(r));
            }

            sb.Append(table);
            sb.Append(PartialLine(ctx.Config, "serviceGroup", g.Name, g.Enabled, "\t"));
        }

        return $"{groups.Count} service group(s)\n{sb}";
    }

    public static string Servers(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var table = new TextTable("Name", "Address", "State", "Comment");
        foreach (var s in ctx.Config.Servers.Where(s => name is null || s.Name == name))
        {
            table.Row(s.Name, s.Address, s.Enabled ? "ENABLED" : "DISABLED", s.Comment);
        }

        return name is not null && table.Count == 0 ? throw c.Error("name", $"no server named '{name}'") : $"{table.Count} server(s)\n{table}";
    }

    public static string Ips(CommandContext ctx, ParsedCommand c)
    {
        var ip = c.MaybeRef<IPAddress>("IPAddress");
        var table = new TextTable("IP Address", "Netmask", "Type", "On this host");
        var local = LocalAddresses();
        foreach (var i in ctx.Config.Ips.Where(i => ip is null || i.Address.Equals(ip)))
        {
            table.Row(i.Address, i.Netmask, NsIp.Types[i.Type], local.Contains(i.Address) ? "yes" : "no: not usable as a source");
        }

        return $"{table.Count} address(es)\n{table}";
    }

    public static string Param(CommandContext ctx, ParsedCommand c) =>
        $"\tClient IP header: {ctx.Config.Param.ClientIpHeader ?? NsParam.DefaultClientIpHeader}{(ctx.Config.Param.ClientIpHeader is null ? " (default)" : "")}\n"
        + string.Concat(ctx.Config.Param.Kept.Select(k => $"\t{k} (kept, no effect)\n"));

    public static string Modes(CommandContext ctx, ParsedCommand c)
    {
        var table = new TextTable("Mode", "State", "Effect in Portico");
        foreach (var m in NsCommands.ModeWords)
        {
            var on = ctx.Config.Modes.Contains(m.ToUpperInvariant());
            table.Row(m, on ? "ON" : "OFF", m == "USIP" ? "servers see the client's address as source" : "none (kept for compatibility)");
        }

        return table.ToString();
    }

    private static HashSet<IPAddress> LocalAddresses()
    {
        var set = new HashSet<IPAddress>();
        foreach (var nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
            {
                set.Add(a.Address);
            }
        }

        return set;
    }
}
