using Portico.Configuration;
using Portico.LoadBalancing;
using Portico.Policies;

namespace Portico.ContentSwitching;

/// <summary>cs policies as <see cref="PolicyBinds"/> sees them: bound to cs vservers on the request, with a target.</summary>
public sealed class CsPolicyKind : IPolicyKind
{
    public string Word => "cs";

    public bool Defines(ConfigBuilder batch, string policy) => batch.CsPolicies.ContainsKey(policy);

    public string? Problem(ConfigBuilder batch, PolicyBinding binding)
    {
        if (binding.Point.Kind != "cs vserver")
        {
            return $"'{binding.Policy}' is a cs policy: bind it to a cs vserver";
        }

        if (binding.Type is { } type && !type.Equals("REQUEST", StringComparison.OrdinalIgnoreCase))
        {
            return $"a cs policy is evaluated on the request: -type {type} does not apply";
        }

        var policy = batch.CsPolicies[binding.Policy];
        if (binding.Target is null && policy.Action is null)
        {
            return $"'{binding.Policy}' has no action: give -targetLBVserver on the bind, or add the policy with -action";
        }

        return binding.Target is { } target ? TargetProblem(batch, target) : null;
    }

    public IEnumerable<(string Owner, string Expression)> Expressions(ConfigBuilder batch) =>
        batch.CsPolicies.Values.Select(p => ($"cs policy {p.Name}", p.Rule));

    /// <summary>A target must be an HTTP or SSL lb vserver (addressable or not, as NetScaler allows).</summary>
    public static string? TargetProblem(ConfigBuilder b, string target) =>
        !b.Vservers.TryGetValue(target, out var lb) ? $"no lb vserver named '{target}'"
        : !lb.Type.IsHttp() ? $"'{target}' is {ServiceTypes.Words[lb.Type]}; cs vservers send requests to HTTP or SSL lb vservers"
        : null;
}
