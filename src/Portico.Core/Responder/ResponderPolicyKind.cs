using Portico.Configuration;
using Portico.Policies;

namespace Portico.Responder;

/// <summary>Responder policies as <see cref="PolicyBinds"/> sees them: on the request, at a vserver or the global bank.</summary>
public sealed class ResponderPolicyKind : IPolicyKind
{
    public string Word => "responder";

    public bool Defines(ConfigBuilder batch, string policy) => batch.ResponderPolicies.ContainsKey(policy);

    public string? Problem(ConfigBuilder batch, PolicyBinding binding)
    {
        var type = binding.Type?.ToUpperInvariant();
        if (binding.Point.IsGlobal)
        {
            return binding.Point.Kind != "responder global" ? $"'{binding.Policy}' is a responder policy: bind it with bind responder global"
                : type is null or "REQ_OVERRIDE" or "REQ_DEFAULT" or "OVERRIDE" or "DEFAULT" ? null
                : $"a responder policy is global as REQ_OVERRIDE or REQ_DEFAULT, not {binding.Type}";
        }

        if (binding.Target is not null)
        {
            return $"-targetLBVserver is for cs policies; '{binding.Policy}' is a responder policy";
        }

        return type is null or "REQUEST" ? null : $"a responder policy acts on the request: -type {binding.Type} does not apply (REQUEST)";
    }

    public IEnumerable<(string Owner, string Expression)> Expressions(ConfigBuilder batch) =>
        batch.ResponderPolicies.Values.Select(p => ($"responder policy {p.Name}", p.Rule))
            .Concat(batch.ResponderActions.Values.Where(a => a.Target is not null).Select(a => ($"responder action {a.Name}", a.Target!)));
}
