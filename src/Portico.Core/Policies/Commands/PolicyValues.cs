using Portico.CommandLanguage;

namespace Portico.Policies.Commands;

/// <summary>Value parsers the policy commands share.</summary>
public static class PolicyValues
{
    /// <summary>One word of <paramref name="allowed"/>, any case, as written in upper case.</summary>
    public static ValueParser Words(params string[] allowed) => words =>
    {
        Values.ExpectCount(words, 1, 1);
        var w = words[0].Text.ToUpperInvariant();
        return allowed.Contains(w) ? w : throw new ValueException(0, $"expected {string.Join(", ", allowed[..^1])} or {allowed[^1]}");
    };

    /// <summary>END, NEXT, USE_INVOCATION_RESULT or a priority number.</summary>
    public static readonly ValueParser Goto = words =>
    {
        Values.ExpectCount(words, 1, 1);
        return PolicyBinds.GotoProblem(words[0].Text) is { } problem ? throw new ValueException(0, problem) : words[0].Text.ToUpperInvariant();
    };
}
