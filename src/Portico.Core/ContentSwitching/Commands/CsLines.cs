using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.LoadBalancing;

namespace Portico.ContentSwitching.Commands;

/// <summary>
/// How <c>save config</c> writes content switching: vservers after the lb vservers they target, then actions,
/// policies, and the default lb vservers with the bindings.
/// </summary>
internal static class CsLines
{
    public static IEnumerable<string> Vservers(RunningConfig config) =>
        config.CsVservers.Select(v => SavedLine.Of($"add cs vserver {Q(v.Name)} {ServiceTypes.Words[v.Type]} {v.Address} {SavedLine.Port(v.Port)}",
        [
            v.ClientTimeout is { } t ? $"-cltTimeout {t}" : "",
            v.StateUpdate ? "-stateupdate ENABLED" : "",
            v.Enabled ? "" : "-state DISABLED",
            SavedLine.Option("comment", v.Comment),
        ], v.Kept));

    public static IEnumerable<string> Actions(RunningConfig config) =>
        config.CsActions.Select(a => SavedLine.Of($"add cs action {Q(a.Name)}",
            [$"-targetLBVserver {Q(a.TargetLbVserver)}", SavedLine.Option("comment", a.Comment)], []));

    public static IEnumerable<string> Policies(RunningConfig config) =>
        config.CsPolicies.Select(p => SavedLine.Of($"add cs policy {Q(p.Name)}",
            [$"-rule {ConfigText.Quote(p.Rule)}", SavedLine.Option("action", p.Action), SavedLine.Option("comment", p.Comment)], p.Kept));

    /// <summary>The default lb vservers; the policy binds are written with every other policy binding.</summary>
    public static IEnumerable<string> Defaults(RunningConfig config) =>
        config.CsVservers.Where(v => v.DefaultLbVserver is not null).Select(v => $"bind cs vserver {Q(v.Name)} -lbvserver {Q(v.DefaultLbVserver!)}");

    private static string Q(string word) => ConfigText.Quote(word);
}
