using Portico.Configuration;
using Portico.Policies;

namespace Portico.Rewrite;

/// <summary>Rewrite policies as <see cref="PolicyBinds"/> sees them: on the request or the response, at a vserver or globally.</summary>
public sealed class RewritePolicyKind : IPolicyKind
{
    public string Word => "rewrite";

    public bool Defines(ConfigBuilder batch, string policy) => batch.RewritePolicies.ContainsKey(policy);

    public string? Problem(ConfigBuilder batch, PolicyBinding binding)
    {
        var type = binding.Type?.ToUpperInvariant();
        if (binding.Point.IsGlobal)
        {
            if (binding.Point.Kind != "rewrite global")
            {
                return $"'{binding.Policy}' is a rewrite policy: bind it with bind rewrite global";
            }

            if (type is not (null or "REQ_OVERRIDE" or "REQ_DEFAULT" or "RES_OVERRIDE" or "RES_DEFAULT"))
            {
                return $"a rewrite policy is global as REQ_OVERRIDE, REQ_DEFAULT, RES_OVERRIDE or RES_DEFAULT, not {binding.Type}";
            }
        }
        else if (binding.Target is not null)
        {
            return $"-targetLBVserver is for cs policies; '{binding.Policy}' is a rewrite policy";
        }

        var response = RewriteTables.IsResponse(binding);
        var policy = batch.RewritePolicies[binding.Policy];
        if (!response && RewriteExpressions.ReadsResponse(batch, policy))
        {
            return $"'{binding.Policy}' reads or changes the response: bind it with -type RESPONSE";
        }

        return null;
    }

    public IEnumerable<(string Owner, string Expression)> Expressions(ConfigBuilder batch) =>
        batch.RewritePolicies.Values.Select(p => ($"rewrite policy {p.Name}", p.Rule))
            .Concat(batch.RewriteActions.Values.Where(a => a.Value is not null).Select(a => ($"rewrite action {a.Name}", a.Value!)));
}
