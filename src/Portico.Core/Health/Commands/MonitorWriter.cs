using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Health.Commands;

/// <summary>How <c>save config</c> writes monitors and their bindings: ns.conf's words, defaults left out.</summary>
internal static class MonitorWriter
{
    public static IEnumerable<string> Monitors(RunningConfig config) => config.Monitors.Select(MonitorLine.Of);

    public static IEnumerable<string> Bindings(RunningConfig config)
    {
        foreach (var b in config.MonitorBindings)
        {
            var kind = config.ServiceGroupsByName.ContainsKey(b.Target) ? "serviceGroup" : "service";
            var line = $"bind {kind} {ConfigText.Quote(b.Target)} -monitorName {ConfigText.Quote(b.Monitor)}";
            yield return string.Concat(b.Kept.Select(k => " " + k).Prepend(b.Enabled ? line : line + " -monState DISABLED"));
        }
    }
}
