using System.Collections.Immutable;
using Portico.Acl.Compiled;

namespace Portico.Acl;

/// <summary>
/// The extended ACLs of one family, part of the running config: the configured rules (what <c>add</c>,
/// <c>set</c>, <c>rm</c>, <c>enable</c>, <c>disable</c> and <c>renumber</c> edit, and <c>save config</c>
/// writes) and the applied ones (what <c>apply</c> compiled and the data path enforces). Until the next
/// apply the two differ, and <c>show ns acl</c> says how. Persistent like <see cref="SimpleAclSet"/>.
/// </summary>
public sealed class ExtendedAclSet
{
    private ExtendedAclSet(AclFamily family, ImmutableDictionary<string, ExtendedAcl> rules, AppliedAcls applied, long nextSequence)
    {
        Family = family;
        Rules = rules;
        Applied = applied;
        NextSequence = nextSequence;
    }

    public static ExtendedAclSet Empty(AclFamily family) =>
        new(family, ImmutableDictionary.Create<string, ExtendedAcl>(StringComparer.Ordinal), AppliedAcls.None, 1);

    public AclFamily Family { get; }

    /// <summary>The configured rules by name (expired ones included until the next change).</summary>
    public ImmutableDictionary<string, ExtendedAcl> Rules { get; }

    public AppliedAcls Applied { get; }

    public long NextSequence { get; }

    /// <summary>The highest priority number NetScaler accepts for this family.</summary>
    public long MaxPriority => Family == AclFamily.V4 ? 100_000 : 80_000;

    /// <summary>Live configured rules in evaluation order: priority, then creation.</summary>
    public IEnumerable<ExtendedAcl> Ordered(long nowTicks) =>
        Rules.Values.Where(r => !r.IsExpired(nowTicks)).OrderBy(r => r.Priority).ThenBy(r => r.Sequence);

    /// <summary>The live configured rule of that name, or null.</summary>
    public ExtendedAcl? Find(string name, long nowTicks) => Rules.TryGetValue(name, out var r) && !r.IsExpired(nowTicks) ? r : null;

    /// <summary>Where a configured rule stands against the applied table.</summary>
    public AclKernelState StateOf(ExtendedAcl rule) =>
        !Applied.ByName.TryGetValue(rule.Name, out var applied) ? AclKernelState.NotApplied
        : ReferenceEquals(applied, rule) ? AclKernelState.Applied
        : AclKernelState.ReApply;

    /// <summary>Applied rules removed since: still in force until the next apply.</summary>
    public IEnumerable<ExtendedAcl> PendingRemovals(long nowTicks) =>
        Applied.ByName.Values.Where(a => !Rules.ContainsKey(a.Name) && !a.IsExpired(nowTicks)).OrderBy(a => a.Priority).ThenBy(a => a.Sequence);

    /// <summary>True when the configured rules differ from the applied ones.</summary>
    public bool HasPending(long nowTicks) =>
        Ordered(nowTicks).Any(r => StateOf(r) != AclKernelState.Applied) || PendingRemovals(nowTicks).Any();

    /// <summary>Adds a new rule, or replaces the configured rule of the same name (set, enable...).</summary>
    public ExtendedAclSet With(ExtendedAcl rule)
    {
        if (rule.Sequence == 0)
        {
            rule = rule with { Sequence = NextSequence };
        }

        return new(Family, Rules.SetItem(rule.Name, rule), Applied, Math.Max(NextSequence, rule.Sequence + 1));
    }

    public ExtendedAclSet Without(string name) => new(Family, Rules.Remove(name), Applied, NextSequence);

    /// <summary>Drops expired rules from the configured set (the applied table ignores them by itself).</summary>
    public ExtendedAclSet WithoutExpired(long nowTicks)
    {
        var expired = Rules.Values.Where(r => r.IsExpired(nowTicks)).Select(r => r.Name).ToList();
        return expired.Count == 0 ? this : new(Family, Rules.RemoveRange(expired), Applied, NextSequence);
    }

    /// <summary>Compiles the configured rules into the table the data path reads (<c>apply ns acls</c>).</summary>
    public ExtendedAclSet Apply(long nowTicks)
    {
        var live = WithoutExpired(nowTicks);
        var table = AclTable.Compile(live.Ordered(nowTicks), Family, nowTicks);
        return new(Family, live.Rules, new AppliedAcls(live.Rules, table, nowTicks), NextSequence);
    }

    /// <summary>Removes every rule, applied ones included, at once (<c>clear ns acls</c> needs no apply).</summary>
    public ExtendedAclSet Clear(long nowTicks) =>
        new(Family, Rules.Clear(), new AppliedAcls(Rules.Clear(), AclTable.Empty, nowTicks), NextSequence);
}
