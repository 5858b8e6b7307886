using Portico.Configuration;

namespace Portico.Appliance.Commands;

/// <summary>How <c>save config</c> writes the appliance: <c>ns mode</c>, <c>ns param</c>, then <c>ns ip</c>.</summary>
internal static class ApplianceLines
{
    public static IEnumerable<string> Write(RunningConfig config)
    {
        if (config.Modes.Count > 0)
        {
            yield return $"enable ns mode {string.Join(' ', NsCommands.ModeWords.Where(m => config.Modes.Contains(m.ToUpperInvariant())))}";
        }

        var param = new[] { SavedLine.Option("cipHeader", config.Param.ClientIpHeader) }.Where(o => o.Length > 0).Concat(KeptOptions.Write(config.Param.Kept)).ToList();
        if (param.Count > 0)
        {
            yield return $"set ns param {string.Join(' ', param)}";
        }

        foreach (var ip in config.Ips)
        {
            yield return SavedLine.Of($"add ns ip {ip.Address} {ip.Netmask}", [ip.Type == NsIpType.Snip ? "" : $"-type {NsIp.Types[ip.Type]}"], ip.Kept);
        }
    }
}
