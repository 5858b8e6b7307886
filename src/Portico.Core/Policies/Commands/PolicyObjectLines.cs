using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Policies.Commands;

/// <summary>How <c>save config</c> writes pattern sets (with their patterns) and named expressions, before the policies using them.</summary>
internal static class PolicyObjectLines
{
    public static IEnumerable<string> Patsets(RunningConfig config)
    {
        foreach (var set in config.PolicyPatsets)
        {
            yield return SavedLine.Of($"add policy patset {Q(set.Name)}", [SavedLine.Option("comment", set.Comment)], []);
            foreach (var p in set.Patterns)
            {
                yield return SavedLine.Of($"bind policy patset {Q(set.Name)} {Q(p.Text)}",
                    [p.Index is { } i ? $"-index {i}" : "", SavedLine.Option("comment", p.Comment)], []);
            }
        }
    }

    public static IEnumerable<string> NamedExpressions(RunningConfig config) =>
        config.PolicyExpressions.Select(e => SavedLine.Of($"add policy expression {Q(e.Name)} {Q(e.Value)}", [SavedLine.Option("comment", e.Comment)], []));

    private static string Q(string word) => ConfigText.Quote(word);
}
