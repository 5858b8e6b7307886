using Portico.Configuration;
using Portico.Policies;

namespace Portico.Caching;

/// <summary>
/// Cache policies as <see cref="PolicyBinds"/> sees them: globally in four banks (REQ_OVERRIDE, REQ_DEFAULT,
/// RES_OVERRIDE, RES_DEFAULT) or at a vserver on the request or the response.
/// </summary>
public sealed class CachePolicyKind : IPolicyKind
{
    public string Word => "cache";

    public bool Defines(ConfigBuilder batch, string policy) => batch.CachePolicies.ContainsKey(policy);

    public string? Problem(ConfigBuilder batch, PolicyBinding binding)
    {
        var type = binding.Type?.ToUpperInvariant();
        if (binding.Point.IsGlobal)
        {
            if (binding.Point.Kind != "cache global")
            {
                return $"'{binding.Policy}' is a cache policy: bind it with bind cache global";
            }

            if (type is not (null or "REQ_OVERRIDE" or "REQ_DEFAULT" or "RES_OVERRIDE" or "RES_DEFAULT"))
            {
                return $"a cache policy is global as REQ_OVERRIDE, REQ_DEFAULT, RES_OVERRIDE or RES_DEFAULT, not {binding.Type}";
            }
        }
        else if (binding.Target is not null)
        {
            return $"-targetLBVserver is for cs policies; '{binding.Policy}' is a cache policy";
        }
        else if (type is not (null or "REQUEST" or "RESPONSE"))
        {
            return $"a cache policy binds to a vserver as REQUEST or RESPONSE, not {binding.Type}";
        }

        var policy = batch.CachePolicies[binding.Policy];
        if (CacheTables.IsResponse(binding) && policy.Action == CacheAction.Inval)
        {
            return $"'{binding.Policy}' invalidates: bind it on the request (INVAL acts before the member is asked)";
        }

        if (!CacheTables.IsResponse(binding) && ReadsResponse(policy.Rule))
        {
            return binding.Point.IsGlobal
                ? $"'{binding.Policy}' reads the response: bind it as RES_OVERRIDE or RES_DEFAULT"
                : $"'{binding.Policy}' reads the response: bind it with -type RESPONSE";
        }

        return null;
    }

    private static bool ReadsResponse(string rule)
    {
        try
        {
            return Policies.Expressions.ExpressionCompiler.Compile(rule, Policies.Expressions.ExpressionContext.Empty).ReadsResponse;
        }
        catch (Exception e) when (e is Policies.Expressions.ExpressionException or Policies.Expressions.UnsupportedExpressionException)
        {
            // Named expressions and pattern sets are not in the empty context; such a rule says so by its own words.
            return rule.Contains("HTTP.RES.", StringComparison.OrdinalIgnoreCase);
        }
    }

    public IEnumerable<(string Owner, string Expression)> Expressions(ConfigBuilder batch) =>
        batch.CachePolicies.Values.Select(p => ($"cache policy {p.Name}", p.Rule));
}
