using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Compression.Commands;

/// <summary>How <c>save config</c> writes compression: the switch with the appliance, actions then policies; the parameters with the settings.</summary>
internal static class CmpLines
{
    public static IEnumerable<string> Feature(RunningConfig config) =>
        config.CmpFeature.Enabled ? [$"enable ns feature {string.Join(' ', config.CmpFeature.Words)}"] : [];

    public static IEnumerable<string> Parameter(RunningConfig config)
    {
        var p = config.CmpParameter;
        if (p == CmpParameter.Default)
        {
            yield break;
        }

        var d = CmpParameter.Default;
        yield return SavedLine.Of("set cmp parameter",
        [
            p.Level != d.Level ? $"-cmpLevel {CmpParameter.Levels[p.Level]}" : "",
            p.MinResSize != d.MinResSize ? $"-minResSize {p.MinResSize}" : "",
            p.BypassPct != d.BypassPct ? $"-cmpBypassPct {p.BypassPct}" : "",
            p.AddVaryHeader != d.AddVaryHeader ? $"-addVaryHeader {(p.AddVaryHeader ? "YES" : "NO")}" : "",
        ], p.Kept);
    }

    public static IEnumerable<string> Actions(RunningConfig config) =>
        config.CmpActions.Select(a => SavedLine.Of($"add cmp action {Q(a.Name)} -cmpType {CmpAction.Types[a.Type]}",
            [SavedLine.Option("deltaType", a.DeltaType), SavedLine.Option("comment", a.Comment)], a.Kept));

    public static IEnumerable<string> Policies(RunningConfig config) =>
        config.CmpPolicies.Select(p => SavedLine.Of($"add cmp policy {Q(p.Name)} -rule {Q(p.Rule)} -resAction {Q(p.ResAction)}",
            [SavedLine.Option("comment", p.Comment)], p.Kept));

    private static string Q(string word) => ConfigText.Quote(word);
}
