using Portico.CommandLanguage;

namespace Portico.Responder;

/// <summary>What a responder action answers with.</summary>
public enum ResponderActionType
{
    /// <summary><c>redirect</c>: a redirect to the target expression's value.</summary>
    Redirect,

    /// <summary><c>respondwith</c>: the target expression's value as the response (a whole HTTP response, or a body).</summary>
    RespondWith,

    /// <summary><c>respondwithhtmlpage</c>: an imported HTML page (<c>import responder htmlpage</c>).</summary>
    RespondWithHtmlPage,

    /// <summary><c>noop</c>: nothing; evaluation goes on.</summary>
    Noop,
}

/// <summary><c>add responder action NAME TYPE [TARGET] [-htmlpage P] [-responseStatusCode N] [-reasonPhrase T] [-comment T]</c>.</summary>
public sealed record ResponderAction(string Name, ResponderActionType Type, string? Target, string? HtmlPage, int? StatusCode, string? ReasonPhrase, string? Comment)
{
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];

    public static readonly KeywordMap<ResponderActionType> Types = new(
        ("redirect", ResponderActionType.Redirect),
        ("respondwith", ResponderActionType.RespondWith),
        ("respondwithhtmlpage", ResponderActionType.RespondWithHtmlPage),
        ("noop", ResponderActionType.Noop));
}

/// <summary><c>add responder policy NAME RULE ACTION [UNDEFACTION] [-comment T]</c>.</summary>
/// <param name="Action">An added action, or a built-in one: NOOP, DROP, RESET.</param>
/// <param name="UndefAction">What happens when the rule is UNDEF for a request (default NOOP).</param>
public sealed record ResponderPolicy(string Name, string Rule, string Action, string? UndefAction, string? Comment)
{
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];

    /// <summary>The actions every NetScaler has without adding them.</summary>
    public static readonly string[] BuiltInActions = ["NOOP", "DROP", "RESET"];
}

/// <summary><c>import responder htmlpage SRC NAME</c>: a page read from a file when the config is applied.</summary>
public sealed record ResponderHtmlPage(string Name, string Source, string Content, string? Comment);
