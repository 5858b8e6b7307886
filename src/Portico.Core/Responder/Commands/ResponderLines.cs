using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Responder.Commands;

/// <summary>How <c>save config</c> writes the responder: pages, then actions, then policies; bindings come after.</summary>
internal static class ResponderLines
{
    public static IEnumerable<string> Pages(RunningConfig config) =>
        config.ResponderPages.Select(p => SavedLine.Of($"import responder htmlpage {Q(p.Source)} {Q(p.Name)}", [SavedLine.Option("comment", p.Comment)], []));

    public static IEnumerable<string> Actions(RunningConfig config) =>
        config.ResponderActions.Select(a => SavedLine.Of($"add responder action {Q(a.Name)} {ResponderAction.Types[a.Type]}{(a.Target is { } t ? " " + Q(t) : "")}",
        [
            SavedLine.Option("htmlpage", a.HtmlPage),
            a.StatusCode is { } s ? $"-responseStatusCode {s}" : "",
            SavedLine.Option("reasonPhrase", a.ReasonPhrase),
            SavedLine.Option("comment", a.Comment),
        ], a.Kept));

    public static IEnumerable<string> Policies(RunningConfig config) =>
        config.ResponderPolicies.Select(p => SavedLine.Of(
            $"add responder policy {Q(p.Name)} {Q(p.Rule)} {Q(p.Action)}{(p.UndefAction is { } u ? " " + Q(u) : "")}",
            [SavedLine.Option("comment", p.Comment)], p.Kept));

    private static string Q(string word) => ConfigText.Quote(word);
}
