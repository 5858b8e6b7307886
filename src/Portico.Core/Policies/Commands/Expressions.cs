using Portico.CommandLanguage;
using Portico.Policies.Expressions;

namespace Portico.Policies.Commands;

/// <summary>How a command checks an expression it is given: compiled now, errors at their column, unsupported by name.</summary>
public static class Expressions
{
    /// <param name="rule">A policy rule: boolean, on the request only unless <paramref name="response"/>.</param>
    public static CompiledExpression Check(ParsedCommand c, string parameter, string text, ExpressionContext context, bool rule, bool response = false)
    {
        try
        {
            var compiled = rule ? ExpressionCompiler.CompileRule(text, context) : ExpressionCompiler.Compile(text, context);
            if (compiled.ReadsResponse && !response)
            {
                throw c.Error(parameter, "this is evaluated on the request; it cannot read HTTP.RES");
            }

            return compiled;
        }
        catch (ExpressionException e)
        {
            throw c.Error(parameter, e.Located);
        }
        catch (UnsupportedExpressionException e)
        {
            throw new UnsupportedCommandException($"the expression uses {e.Function}, which Portico does not implement");
        }
    }
}
