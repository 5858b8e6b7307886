using Portico.CommandLanguage;

namespace Portico.Rewrite;

/// <summary>The rewrite actions Portico performs on request and response heads.</summary>
public enum RewriteActionType
{
    InsertHttpHeader,
    DeleteHttpHeader,
    CorruptHttpHeader,
    Replace,
    InsertAfter,
    InsertBefore,
    ReplaceAll,
    Delete,
    Noop,
}

/// <summary>
/// <c>add rewrite action NAME TYPE TARGET [VALUE] [-search text("x")|regex(re/x/)] [-comment T]</c>. For the header
/// types the target is a field name; for the others an expression naming what to change (<c>HTTP.REQ.URL</c>).
/// </summary>
public sealed record RewriteAction(string Name, RewriteActionType Type, string Target, string? Value, string? Search, string? Comment)
{
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];

    public static readonly KeywordMap<RewriteActionType> Types = new(
        ("insert_http_header", RewriteActionType.InsertHttpHeader),
        ("delete_http_header", RewriteActionType.DeleteHttpHeader),
        ("corrupt_http_header", RewriteActionType.CorruptHttpHeader),
        ("replace", RewriteActionType.Replace),
        ("insert_after", RewriteActionType.InsertAfter),
        ("insert_before", RewriteActionType.InsertBefore),
        ("replace_all", RewriteActionType.ReplaceAll),
        ("delete", RewriteActionType.Delete),
        ("noop", RewriteActionType.Noop));

    /// <summary>The types whose target is a header name rather than an expression.</summary>
    public bool TargetsHeaderName => Type is RewriteActionType.InsertHttpHeader or RewriteActionType.DeleteHttpHeader or RewriteActionType.CorruptHttpHeader;

    /// <summary>The types that take a value expression.</summary>
    public bool HasValue => Type is RewriteActionType.InsertHttpHeader or RewriteActionType.Replace or RewriteActionType.InsertAfter
        or RewriteActionType.InsertBefore or RewriteActionType.ReplaceAll;
}

/// <summary><c>add rewrite policy NAME RULE ACTION [UNDEFACTION] [-comment T]</c>.</summary>
/// <param name="Action">An added action, or NOREWRITE, RESET, DROP.</param>
public sealed record RewritePolicy(string Name, string Rule, string Action, string? UndefAction, string? Comment)
{
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];

    public static readonly string[] BuiltInActions = ["NOREWRITE", "RESET", "DROP"];
}
