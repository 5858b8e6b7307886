using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Rewrite.Commands;

/// <summary>How <c>save config</c> writes rewrite actions, then policies; their bindings come with every other policy binding.</summary>
internal static class RewriteLines
{
    public static IEnumerable<string> Actions(RunningConfig config) =>
        config.RewriteActions.Select(a => SavedLine.Of(
            $"add rewrite action {Q(a.Name)} {RewriteAction.Types[a.Type]}{(a.Target.Length > 0 ? " " + Q(a.Target) : "")}{(a.Value is { } v ? " " + Q(v) : "")}",
            [SavedLine.Option("search", a.Search), SavedLine.Option("comment", a.Comment)], a.Kept));

    public static IEnumerable<string> Policies(RunningConfig config) =>
        config.RewritePolicies.Select(p => SavedLine.Of(
            $"add rewrite policy {Q(p.Name)} {Q(p.Rule)} {Q(p.Action)}{(p.UndefAction is { } u ? " " + Q(u) : "")}",
            [SavedLine.Option("comment", p.Comment)], p.Kept));

    private static string Q(string word) => ConfigText.Quote(word);
}
