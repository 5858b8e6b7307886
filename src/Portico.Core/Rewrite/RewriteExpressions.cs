using Portico.Configuration;
using Portico.Policies.Expressions;

namespace Portico.Rewrite;

/// <summary>Whether a rewrite policy belongs to the response: its rule, its action's target or its value read or change it.</summary>
internal static class RewriteExpressions
{
    public static bool ReadsResponse(ConfigBuilder batch, RewritePolicy policy)
    {
        if (Reads(policy.Rule))
        {
            return true;
        }

        if (!batch.RewriteActions.TryGetValue(policy.Action, out var action))
        {
            return false;
        }

        return (action.Value is { } v && Reads(v)) || (!action.TargetsHeaderName && RewriteTarget.Parse(action.Target) is { Response: true });
    }

    private static bool Reads(string expression)
    {
        try
        {
            return ExpressionCompiler.Compile(expression, ExpressionContext.Empty).ReadsResponse;
        }
        catch (Exception e) when (e is ExpressionException or UnsupportedExpressionException)
        {
            // Named expressions and pattern sets are not in the empty context; such a rule says so by its own words.
            return expression.Contains("HTTP.RES.", StringComparison.OrdinalIgnoreCase);
        }
    }
}
