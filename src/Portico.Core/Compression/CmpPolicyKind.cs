using Portico.Configuration;
using Portico.Policies;

namespace Portico.Compression;

/// <summary>Compression policies as <see cref="PolicyBinds"/> sees them: on the response, at a vserver or globally (RES_OVERRIDE, RES_DEFAULT).</summary>
public sealed class CmpPolicyKind : IPolicyKind
{
    public string Word => "cmp";

    public bool Defines(ConfigBuilder batch, string policy) => batch.CmpPolicies.ContainsKey(policy) || CmpBuiltIns.Find(policy) is not null;

    public string? Problem(ConfigBuilder batch, PolicyBinding binding)
    {
        var type = binding.Type?.ToUpperInvariant();
        if (binding.Point.IsGlobal)
        {
            return binding.Point.Kind != "cmp global" ? $"'{binding.Policy}' is a cmp policy: bind it with bind cmp global"
                : type is null or "RES_OVERRIDE" or "RES_DEFAULT" ? null
                : $"a cmp policy is global as RES_OVERRIDE or RES_DEFAULT, not {binding.Type}";
        }

        if (binding.Target is not null)
        {
            return $"-targetLBVserver is for cs policies; '{binding.Policy}' is a cmp policy";
        }

        return type is null or "RESPONSE" ? null : $"a cmp policy acts on the response: -type {binding.Type} does not apply (RESPONSE)";
    }

    public IEnumerable<(string Owner, string Expression)> Expressions(ConfigBuilder batch) =>
        batch.CmpPolicies.Values.Select(p => ($"cmp policy {p.Name}", p.Rule));
}
