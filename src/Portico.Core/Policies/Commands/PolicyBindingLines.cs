using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Policies.Commands;

/// <summary>How <c>save config</c> writes policy bindings: each with its bind command, after every policy.</summary>
internal static class PolicyBindingLines
{
    public static IEnumerable<string> Write(RunningConfig config) => config.PolicyBindings.Select(b => b.Point.IsGlobal && OptionStyle.Contains(b.Point.Kind)
        ? SavedLine.Of($"bind {b.Point.Kind} {Q(b.Policy)} -priority {b.Priority}",
            [SavedLine.Option("gotoPriorityExpression", b.Goto), SavedLine.Option("type", b.Type)], b.Kept)
        : b.Point.IsGlobal
        ? SavedLine.Of($"bind {b.Point.Kind} {Q(b.Policy)} {b.Priority}{(b.Goto is { } g ? " " + g : "")}", [SavedLine.Option("type", b.Type)], b.Kept)
        : SavedLine.Of($"bind {b.Point.Kind} {Q(b.Point.Name!)} -policyName {Q(b.Policy)} -priority {b.Priority}",
            [SavedLine.Option("targetLBVserver", b.Target), SavedLine.Option("gotoPriorityExpression", b.Goto), SavedLine.Option("type", b.Type)], b.Kept));

    // NetScaler writes these global binds with -priority and -gotoPriorityExpression as options, not positionals.
    private static readonly HashSet<string> OptionStyle = new(["cache global", "cmp global"], StringComparer.Ordinal);

    private static string Q(string word) => ConfigText.Quote(word);
}
