using Portico.Configuration;
using Portico.LoadBalancing;
using Portico.Policies;
using Portico.Policies.Expressions;

namespace Portico.ContentSwitching;

/// <summary>cs policies as <see cref="PolicyBinds"/> sees them: bound to cs vservers on the request, with a target.</summary>
public sealed class CsPolicyKind(ExpressionContexts contexts) : IPolicyKind
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

        var cs = binding.Point.Name!;
        var target = binding.Target ?? (batch.CsActions.TryGetValue(policy.Action!, out var action) ? action.TargetLbVserver : null);
        if (target is not null && TargetProblem(batch, cs, target) is { } problem)
        {
            return problem;
        }

        return IsTcp(batch, cs) && ReadsHttp(batch, policy.Rule)
            ? $"'{binding.Policy}' reads HTTP and '{cs}' is a TCP cs vserver: its rules can read only the connection (CLIENT.IP, CLIENT.TCP...)"
            : null;
    }

    public IEnumerable<(string Owner, string Expression)> Expressions(ConfigBuilder batch) =>
        batch.CsPolicies.Values.Select(p => ($"cs policy {p.Name}", p.Rule));

    /// <summary>
    /// An HTTP or SSL cs vserver sends requests to HTTP or SSL lb vservers, a TCP one connections to TCP lb vservers
    /// (addressable or not, as NetScaler allows).
    /// </summary>
    public static string? TargetProblem(ConfigBuilder b, string csVserver, string target)
    {
        if (!b.Vservers.TryGetValue(target, out var lb))
        {
            return $"no lb vserver named '{target}'";
        }

        var tcp = IsTcp(b, csVserver);
        return tcp && lb.Type != ServiceType.Tcp ? $"'{target}' is {ServiceTypes.Words[lb.Type]}; the TCP cs vserver '{csVserver}' sends connections to TCP lb vservers"
            : !tcp && !lb.Type.IsHttp() ? $"'{target}' is {ServiceTypes.Words[lb.Type]}; cs vservers send requests to HTTP or SSL lb vservers"
            : null;
    }

    private static bool IsTcp(ConfigBuilder b, string csVserver) => b.CsVservers.TryGetValue(csVserver, out var cs) && cs.Type == ServiceType.Tcp;

    private bool ReadsHttp(ConfigBuilder batch, string rule)
    {
        try
        {
            return ExpressionCompiler.CompileRule(rule, contexts.For(batch)).ReadsHttp;
        }
        catch (Exception e) when (e is ExpressionException or UnsupportedExpressionException)
        {
            // The policy's own command reported it already.
            return false;
        }
    }
}
