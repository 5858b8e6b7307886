using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Appliance.Commands;

/// <summary><c>show ns config</c>: the file, whether the running config changed since the last save, and the owned addresses.</summary>
internal sealed class NsConfigQuery(SaveTracker saved, TimeProvider time)
{
    public NsConfigView Show(CommandContext ctx, ParsedCommand c)
    {
        var path = ctx.Store.ConfigPath is { } p ? Path.GetFullPath(p) : null;
        var nsip = ctx.Config.Ips.FirstOrDefault(i => i.Type == NsIpType.Nsip);
        return new NsConfigView(path, path is not null && saved.Unsaved, path is null ? 0 : saved.ChangesSinceSave, saved.LastChanged,
            path is null ? null : saved.LastSaved, time.GetUtcNow(), Environment.MachineName, nsip?.Address.ToString(), nsip?.Netmask.ToString(),
            ctx.Config.Ips.Count(i => i.Type == NsIpType.Snip), ctx.Config.Generation);
    }
}

/// <summary>What <c>show ns config</c> reports; the names follow NITRO's <c>nsconfig</c> where they mean the same.</summary>
/// <param name="ConfigFile">The file <c>save ns config</c> writes and <c>portico reload</c> reads; null on the embedded demo.</param>
/// <param name="ConfigChanged">True when a batch changed the running config since it last matched the file.</param>
/// <param name="ChangesSinceSave">Batches applied since then.</param>
/// <param name="Generation">The running config's generation: one more per applied batch.</param>
internal sealed record NsConfigView(
    string? ConfigFile,
    bool ConfigChanged,
    long ChangesSinceSave,
    DateTimeOffset? LastConfigChangedTime,
    DateTimeOffset? LastConfigSaveTime,
    DateTimeOffset SystemTime,
    string HostName,
    string? IpAddress,
    string? Netmask,
    int SubnetIps,
    long Generation) : IQueryResult
{
    public string ToText() =>
        $"\tConfig file: {ConfigFile ?? "none (the embedded demo config; start with 'portico run --config FILE' to save)"}\n"
        + $"\tConfig changed since last save: {(ConfigFile is null ? "-" : ConfigChanged ? $"YES ({ChangesSinceSave} change(s); 'save ns config' keeps them)" : "NO")}\n"
        + $"\tLast Config Changed Time: {Time(LastConfigChangedTime)}\n"
        + $"\tLast Config Saved Time: {Time(LastConfigSaveTime)}\n"
        + $"\tSystem Time: {Time(SystemTime)}\n"
        + $"\tHost name: {HostName}\n"
        + $"\tNetScaler IP (NSIP): {(IpAddress is null ? "none configured" : $"{IpAddress} (mask: {Netmask})")}\n"
        + $"\tSubnet IPs (SNIP): {SubnetIps}\n"
        + $"\tConfig generation: {Generation}\n";

    private static string Time(DateTimeOffset? t) =>
        t?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "never";
}
