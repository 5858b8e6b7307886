using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Policies;

/// <summary>
/// Binding and unbinding policies, for every bind command that takes <c>-policyName</c>: the checks a single line
/// can make now (a taken priority, a policy bound twice, the goto's shape), and the ones only the whole batch can
/// make (which kind the policy is, whether the kind allows the type), deferred to its end.
/// </summary>
public sealed class PolicyBinds(IEnumerable<IPolicyKind> kinds)
{
    private readonly IPolicyKind[] _kinds = [.. kinds];

    /// <summary>The kind defining <paramref name="policy"/> in the batch, or null.</summary>
    public IPolicyKind? KindOf(ConfigBuilder batch, string policy) => _kinds.FirstOrDefault(k => k.Defines(batch, policy));

    public void Bind(ConfigBuilder b, ParsedCommand c, PolicyBinding binding, string policyParameter = "policyName", string priorityParameter = "priority")
    {
        var same = b.PolicyBindings.Where(x => x.Point == binding.Point).ToList();
        if (same.Any(x => x.Policy == binding.Policy && SameBank(x, binding)))
        {
            throw c.Error(policyParameter, $"'{binding.Policy}' is already bound to {binding.Point}");
        }

        if (same.FirstOrDefault(x => x.Priority == binding.Priority && SameBank(x, binding)) is { } taken)
        {
            throw c.Error(priorityParameter, $"priority {binding.Priority} is taken by '{taken.Policy}' on {binding.Point}");
        }

        if (binding.Goto is { } next && GotoProblem(next) is { } problem)
        {
            throw c.Error("gotoPriorityExpression", problem);
        }

        b.PolicyBindings.Add(binding);
        b.Defer(c, policyParameter, x => KindOf(x, binding.Policy) is { } kind
            ? kind.Problem(x, binding)
            : $"no policy named '{binding.Policy}' (add cs policy, add responder policy or add rewrite policy)");
    }

    /// <summary>Removes the binding of <paramref name="policy"/> at <paramref name="point"/> (of <paramref name="type"/> when given).</summary>
    public static void Unbind(ConfigBuilder b, ParsedCommand c, BindPoint point, string policy, string? type, string policyParameter = "policyName")
    {
        var found = b.PolicyBindings.FirstOrDefault(x => x.Point == point && x.Policy == policy && (type is null || Bank(x.Type) == Bank(type)))
            ?? throw c.Error(policyParameter, $"'{policy}' is not bound to {point}");
        b.PolicyBindings.Remove(found);
    }

    /// <summary>Where a policy is bound, for the refusal of <c>rm ... policy</c>; null when nowhere.</summary>
    public static string? BoundAt(ConfigBuilder b, string policy) =>
        b.PolicyBindings.FirstOrDefault(x => x.Policy == policy) is { } bound ? bound.Point.ToString() : null;

    /// <summary>END, NEXT, USE_INVOCATION_RESULT or a priority number; null when it is one.</summary>
    public static string? GotoProblem(string word) =>
        word.ToUpperInvariant() is "END" or "NEXT" or "USE_INVOCATION_RESULT"
        || (long.TryParse(word, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
            ? null
            : $"'{word}': expected END, NEXT or a priority number";

    /// <summary>null for END; -1 for NEXT; else the priority to continue at.</summary>
    public static long? Next(string? word) => word?.ToUpperInvariant() switch
    {
        null or "END" or "USE_INVOCATION_RESULT" => null,
        "NEXT" => -1,
        var n => long.Parse(n, System.Globalization.CultureInfo.InvariantCulture),
    };

    // A point's request and response policies, and a global bank's override and default policies, are separate
    // banks: a priority may repeat across them.
    private static bool SameBank(PolicyBinding a, PolicyBinding b) => Bank(a.Type) == Bank(b.Type);

    private static string Bank(string? type) => type?.ToUpperInvariant() ?? "REQUEST";
}
