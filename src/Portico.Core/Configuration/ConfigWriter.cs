using System.Text;
using Portico.Appliance.Commands;
using Portico.Appliance;
using Portico.CommandLanguage;
using Portico.LoadBalancing.Commands;
using Portico.LoadBalancing;

namespace Portico.Configuration;

/// <summary>
/// Writes a snapshot back in the command language, in canonical form: objects before the bindings
/// that use them, options in a fixed order, defaults left out, and the NetScaler lines Portico keeps
/// without supporting them at the end. Reading the output back yields the same snapshot.
/// </summary>
public static class ConfigWriter
{
    public static string Write(RunningConfig config, DateTimeOffset at)
    {
        var sb = new StringBuilder();
        sb.Append($"# Portico configuration, written by save config on {at:yyyy-MM-dd HH:mm:ss} UTC\n");
        if (config.Modes.Count > 0)
        {
            sb.Append($"enable ns mode {string.Join(' ', NsCommands.ModeWords.Where(m => config.Modes.Contains(m.ToUpperInvariant())))}\n");
        }

        var param = Options(Opt("cipHeader", config.Param.ClientIpHeader)).Concat(KeptOptions.Write(config.Param.Kept)).ToList();
        if (param.Count > 0)
        {
            sb.Append($"set ns param {string.Join(' ', param)}\n");
        }

        foreach (var ip in config.Ips)
        {
            Line(sb, $"add ns ip {ip.Address} {ip.Netmask}", [ip.Type == NsIpType.Snip ? "" : $"-type {NsIp.Types[ip.Type]}"], ip.Kept);
        }

        foreach (var line in ClientIp.Commands.NetProfileCommands.Write(config))
        {
            sb.Append(line).Append('\n');
        }

        Health.Commands.MonitorWriter.WriteMonitors(sb, config);
        foreach (var s in config.Servers)
        {
            Line(sb, $"add server {Q(s.Name)} {s.Address}", [s.Enabled ? "" : "-state DISABLED", Opt("comment", s.Comment)], s.Kept);
        }

        foreach (var s in config.Services)
        {
            Line(sb, $"add service {Q(s.Name)} {Q(s.ServerName)} {ServiceTypes.Words[s.Type]} {Port(s.Port)}",
                [.. BackendOptions.Write(s.Settings), s.Enabled ? "" : "-state DISABLED", Opt("comment", s.Comment)], s.Kept);
        }

        foreach (var g in config.ServiceGroups)
        {
            Line(sb, $"add serviceGroup {Q(g.Name)} {ServiceTypes.Words[g.Type]}",
                [.. BackendOptions.Write(g.Settings), g.Enabled ? "" : "-state DISABLED", Opt("comment", g.Comment)], g.Kept);
        }

        foreach (var v in config.Vservers)
        {
            Line(sb, $"add lb vserver {Q(v.Name)} {ServiceTypes.Words[v.Type]}{Vip(v)}", [.. VserverOptions(v)], v.Kept);
        }

        foreach (var v in config.Vservers)
        {
            foreach (var b in v.Bindings)
            {
                Line(sb, $"bind lb vserver {Q(v.Name)} {Q(b.Target)}", [b.Weight != 1 ? $"-weight {b.Weight}" : ""], b.Kept);
            }
        }

        foreach (var g in config.ServiceGroups)
        {
            foreach (var m in g.Members)
            {
                Line(sb, $"bind serviceGroup {Q(g.Name)} {Q(m.ServerName)} {Port(m.Port)}",
                    [m.Weight != 1 ? $"-weight {m.Weight}" : "", m.Enabled ? "" : "-state DISABLED"], m.Kept);
            }
        }

        Health.Commands.MonitorWriter.WriteBindings(sb, config);
        foreach (var line in Http.Commands.SslCommands.Write(config)
            .Concat(Geo.Commands.GeoCommands.Write(config))
            .Concat(Acl.Commands.SimpleAclCommands.Write(config))
            .Concat(Acl.Commands.ExtendedAclCommands.Write(config)))
        {
            sb.Append(line).Append('\n');
        }

        foreach (var line in Counters.Commands.HistoryCommands.Write(config).Concat(Profiling.Commands.ProfilerCommands.Write(config)))
        {
            sb.Append(line).Append('\n');
        }

        if (config.Unsupported.Length > 0)
        {
            sb.Append("\n# Lines kept from earlier configs: valid NetScaler that Portico does not support (yet).\n");
            foreach (var u in config.Unsupported)
            {
                sb.Append(u.Text.Trim()).Append('\n');
            }
        }

        return sb.ToString();
    }

    private static IEnumerable<string> VserverOptions(LbVserver v)
    {
        if (v.Method != LbMethod.LeastConnection)
        {
            yield return $"-lbMethod {LbMethods.Words[v.Method]}";
        }

        if (v.BackupMethod is { } bm)
        {
            yield return $"-backupLBMethod {LbMethods.Words[bm]}";
        }

        if (v.Persistence != PersistenceType.None)
        {
            yield return $"-persistenceType {PersistenceTypes.Words[v.Persistence]}";
        }

        if (v.PersistenceTimeoutMinutes != 2)
        {
            yield return $"-timeout {v.PersistenceTimeoutMinutes}";
        }

        if (v.ClientTimeout is { } clt)
        {
            yield return $"-cltTimeout {clt}";
        }

        if (v.BackupVserver is { } backup)
        {
            yield return $"-backupVServer {Q(backup)}";
        }

        if (v.DisablePrimaryOnDown)
        {
            yield return "-disablePrimaryOnDown ENABLED";
        }

        if (v.SpilloverThreshold is { } so)
        {
            yield return $"-soMethod CONNECTION -soThreshold {so}";
        }

        if (v.Redirect?.FromPort is { } from)
        {
            yield return $"-redirectFromPort {from}";
        }

        if (v.Redirect?.Url is { } url)
        {
            yield return $"-httpsRedirectUrl {ConfigText.Quote(url)}";
        }

        if (v.Mode != RedirectionMode.Ip)
        {
            yield return $"-m {RedirectionModes.Words[v.Mode]}";
        }

        if (v.DsrInterface is { } dsrInterface)
        {
            yield return $"-dsrInterface {Q(dsrInterface)}";
        }

        if (!v.Enabled)
        {
            yield return "-state DISABLED";
        }

        if (v.NetProfile is not null)
        {
            yield return $"-netProfile {Q(v.NetProfile)}";
        }

        if (v.Comment is not null)
        {
            yield return $"-comment {ConfigText.Quote(v.Comment)}";
        }
    }

    private static void Line(StringBuilder sb, string head, IEnumerable<string> options, IReadOnlyList<KeptOption> kept)
    {
        sb.Append(head);
        foreach (var o in options.Where(o => o.Length > 0).Concat(KeptOptions.Write(kept)))
        {
            sb.Append(' ').Append(o);
        }

        sb.Append('\n');
    }

    private static IEnumerable<string> Options(params string[] options) => options.Where(o => o.Length > 0);

    private static string Opt(string name, string? value) => value is null ? "" : $"-{name} {ConfigText.Quote(value)}";

    private static string Q(string word) => ConfigText.Quote(word);

    private static string Port(int port) => port == 0 ? "*" : port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Vip(LbVserver v) => v.Address is null ? "" : $" {(v.Address.Equals(System.Net.IPAddress.Any) && v.Port != 0 ? "*" : v.Address.ToString())} {Port(v.Port)}";
}
