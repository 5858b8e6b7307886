using System.Collections.Immutable;
using Portico.Configuration;

namespace Portico.Policies;

/// <summary>The policies' shared sections: where every policy is bound.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class PolicySections
{
    /// <summary>Every policy binding, in binding order; a removed lb vserver takes its bindings with it.</summary>
    public static readonly ConfigSection<ImmutableArray<PolicyBinding>, List<PolicyBinding>> Bindings =
        ConfigSection.Ordered<PolicyBinding>("policy bindings", WithoutRemovedVservers);

    public static readonly ConfigSection<ImmutableArray<PolicyPatset>, OrderedDictionary<string, PolicyPatset>> Patsets =
        ConfigSection.Named<PolicyPatset>("policy patset", p => p.Name);

    public static readonly ConfigSection<ImmutableArray<PolicyExpression>, OrderedDictionary<string, PolicyExpression>> NamedExpressions =
        ConfigSection.Named<PolicyExpression>("policy expression", e => e.Name);

    extension(RunningConfig config)
    {
        public ImmutableArray<PolicyBinding> PolicyBindings => config.Get(Bindings);

        public ImmutableArray<PolicyPatset> PolicyPatsets => config.Get(Patsets);

        public ImmutableArray<PolicyExpression> PolicyExpressions => config.Get(NamedExpressions);
    }

    extension(ConfigBuilder batch)
    {
        public List<PolicyBinding> PolicyBindings => batch.Edit(Bindings);

        public OrderedDictionary<string, PolicyPatset> PolicyPatsets => batch.Edit(Patsets);

        public OrderedDictionary<string, PolicyExpression> PolicyExpressions => batch.Edit(NamedExpressions);
    }

    /// <summary>The bindings of <paramref name="point"/> for policies of one kind, in evaluation order (priority).</summary>
    public static IEnumerable<PolicyBinding> At(this ImmutableArray<PolicyBinding> all, BindPoint point, Func<string, bool> isKind) =>
        all.Where(b => b.Point == point && isKind(b.Policy)).OrderBy(b => b.Priority);

    private static ImmutableArray<PolicyBinding> WithoutRemovedVservers(ImmutableArray<PolicyBinding> bindings, ConfigBuilder batch)
    {
        bool Stays(PolicyBinding b) => b.Point.Kind != "lb vserver" || batch.Vservers.ContainsKey(b.Point.Name!);
        return bindings.All(Stays) ? bindings : [.. bindings.Where(Stays)];
    }
}
