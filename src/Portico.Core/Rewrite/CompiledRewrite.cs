using System.Text.RegularExpressions;
using Portico.Policies.Expressions;

namespace Portico.Rewrite;

/// <summary>A rewrite action compiled with its value expression: the edit it adds for one exchange.</summary>
internal sealed class CompiledRewrite
{
    private readonly Func<IPolicyRequest, HeadEdits.Edit?> _edit;

    private CompiledRewrite(RewriteVerdict verdict, Func<IPolicyRequest, HeadEdits.Edit?> edit)
    {
        Verdict = verdict;
        _edit = edit;
    }

    /// <summary>NOREWRITE, RESET or DROP for the built-in actions; Continue for an added one.</summary>
    public RewriteVerdict Verdict { get; }

    public static readonly CompiledRewrite NoRewrite = new(RewriteVerdict.Continue, _ => null);

    public HeadEdits.Edit? EditFor(IPolicyRequest request) => _edit(request);

    public static CompiledRewrite Of(string name, IReadOnlyDictionary<string, RewriteAction> actions, ExpressionContext context)
    {
        switch (name.ToUpperInvariant())
        {
            case "NOREWRITE": return NoRewrite;
            case "RESET": return new(RewriteVerdict.Reset, _ => null);
            case "DROP": return new(RewriteVerdict.Drop, _ => null);
        }

        var a = actions[name];
        if (a.Type == RewriteActionType.Noop)
        {
            return NoRewrite;
        }

        var value = a.Value is { } v ? ExpressionCompiler.Compile(v, context).Text : null;
        var search = a.Search is { } s ? RewriteSearch.Parse(s) : null;
        if (a.TargetsHeaderName)
        {
            var header = a.Target;
            return new(RewriteVerdict.Continue, r => new HeadEdits.Edit(a.Type, TargetPart.Header, header, value is null ? null : HeaderSafe(value(r)), null));
        }

        var target = RewriteTarget.Parse(a.Target)!;
        return new(RewriteVerdict.Continue, r => new HeadEdits.Edit(a.Type, target.Part, target.Header, value is null ? null : Safe(target, value(r)), search));
    }

    // A value from the request must not end the field or the head: controls are percent-encoded.
    private static string HeaderSafe(string value) => value.Any(c => c < 0x20 || c == 0x7F)
        ? string.Concat(value.Select(c => c < 0x20 || c == 0x7F ? $"%{(int)c:X2}" : c.ToString()))
        : value;

    // In a request target a space or a control would split the request line: those are percent-encoded too.
    private static string Safe(RewriteTarget target, string value) => target.Part is TargetPart.Url or TargetPart.Path or TargetPart.Query
        ? string.Concat(value.Select(c => c <= 0x20 || c == 0x7F ? $"%{(int)c:X2}" : c.ToString()))
        : HeaderSafe(value);
}

/// <summary>What a rewrite bank decided beyond its edits.</summary>
public enum RewriteVerdict
{
    Continue,
    Reset,
    Drop,
}

/// <summary><c>-search text("x")</c> or <c>-search regex(re/x/)</c> of a replace_all action.</summary>
internal static partial class RewriteSearch
{
    public static Regex? Parse(string search)
    {
        var m = Shape().Match(search.Trim());
        if (!m.Success)
        {
            return null;
        }

        return m.Groups["text"].Success
            ? new Regex(Regex.Escape(m.Groups["text"].Value), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)
            : new Regex(m.Groups["re"].Value, RegexOptions.CultureInvariant, Arguments.RegexTimeout);
    }

    [GeneratedRegex("""^(?:text\("(?<text>[^"]+)"\)|regex\(re(?<d>[/!#|~%@^])(?<re>.+)\k<d>\))$""", RegexOptions.IgnoreCase)]
    private static partial Regex Shape();
}
