namespace Portico.Policies.Expressions;

/// <summary>
/// Compiles NetScaler's advanced policy expressions into delegates, once, when the config is applied: nothing is
/// interpreted as text per request. Errors name the column inside the expression and what was expected
/// (<see cref="ExpressionException"/>); a NetScaler function Portico does not implement is reported by name
/// (<see cref="UnsupportedExpressionException"/>).
/// </summary>
public static class ExpressionCompiler
{
    /// <summary>Compiles an expression of any type.</summary>
    public static CompiledExpression Compile(string text, ExpressionContext context) =>
        new(text, new ExpressionParser(ExpressionLexer.Lex(text), context).ParseWhole());

    /// <summary>Compiles a policy rule: the expression must be boolean.</summary>
    public static CompiledExpression CompileRule(string text, ExpressionContext context)
    {
        var compiled = Compile(text, context);
        if (compiled.Kind != ValueKind.Bool)
        {
            throw new ExpressionException(1, $"a rule must be a boolean expression; '{Short(text)}' is {Describe(compiled.Kind)}");
        }

        return compiled;
    }

    internal static string Describe(ValueKind kind) => kind switch
    {
        ValueKind.Bool => "a boolean",
        ValueKind.Text => "text",
        ValueKind.Number => "a number",
        ValueKind.Address => "an address",
        _ => "a time",
    };

    private static string Short(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
