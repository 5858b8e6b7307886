using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary>
/// How <c>save config</c> writes servers, services, service groups and vservers, then their bindings:
/// ns.conf's words, defaults left out. Each module registers the lines of its own objects.
/// </summary>
internal static class LoadBalancingLines
{
    public static IEnumerable<string> Servers(RunningConfig config) =>
        config.Servers.Select(s => SavedLine.Of($"add server {Q(s.Name)} {s.Address}",
            [s.Enabled ? "" : "-state DISABLED", SavedLine.Option("comment", s.Comment)], s.Kept));

    public static IEnumerable<string> Services(RunningConfig config) =>
        config.Services.Select(s => SavedLine.Of($"add service {Q(s.Name)} {Q(s.ServerName)} {ServiceTypes.Words[s.Type]} {SavedLine.Port(s.Port)}",
            [.. BackendOptions.Write(s.Settings), s.Enabled ? "" : "-state DISABLED", SavedLine.Option("comment", s.Comment)], s.Kept));

    public static IEnumerable<string> ServiceGroups(RunningConfig config) =>
        config.ServiceGroups.Select(g => SavedLine.Of($"add serviceGroup {Q(g.Name)} {ServiceTypes.Words[g.Type]}",
            [.. BackendOptions.Write(g.Settings), g.Enabled ? "" : "-state DISABLED", SavedLine.Option("comment", g.Comment)], g.Kept));

    public static IEnumerable<string> Vservers(RunningConfig config) =>
        config.Vservers.Select(v => SavedLine.Of($"add lb vserver {Q(v.Name)} {ServiceTypes.Words[v.Type]}{Vip(v)}", [.. VserverOptions(v)], v.Kept));

    public static IEnumerable<string> VserverBindings(RunningConfig config) =>
        config.Vservers.SelectMany(v => v.Bindings.Select(b =>
            SavedLine.Of($"bind lb vserver {Q(v.Name)} {Q(b.Target)}", [b.Weight != 1 ? $"-weight {b.Weight}" : ""], b.Kept)));

    public static IEnumerable<string> GroupMembers(RunningConfig config) =>
        config.ServiceGroups.SelectMany(g => g.Members.Select(m =>
            SavedLine.Of($"bind serviceGroup {Q(g.Name)} {Q(m.ServerName)} {SavedLine.Port(m.Port)}",
                [m.Weight != 1 ? $"-weight {m.Weight}" : "", m.Enabled ? "" : "-state DISABLED"], m.Kept)));

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

        if (v.HttpProfileName is not null)
        {
            yield return $"-httpProfileName {Q(v.HttpProfileName)}";
        }

        if (v.Comment is not null)
        {
            yield return $"-comment {ConfigText.Quote(v.Comment)}";
        }
    }

    private static string Q(string word) => ConfigText.Quote(word);

    private static string Vip(LbVserver v) => v.Address is null ? "" : $" {(v.Address.Equals(System.Net.IPAddress.Any) && v.Port != 0 ? "*" : v.Address.ToString())} {SavedLine.Port(v.Port)}";
}
