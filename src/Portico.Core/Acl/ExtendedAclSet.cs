using System.Collections.Immutable;
using Portico.Acl.Compiled;

namespace Portico.Acl;

/// <summary>
/// The extended ACLs of one family, part of the running config: the configured rules (what <c>add</c>,
/// <c>set</c>, <c>rm</c>, <c>enable</c>, <c>disable</c> and <c>renumber</c> edit, and <c>save config</c>
/// writes) and the applied ones (what <c>apply</c> compiled and the data path enforces). Until the next
/// apply the two differ, and <c>show ns acl</c> says how.
/// <para>
/// Persistent like <see cref="SimpleAclSet"/>, and indexed by name, by priority (unique, so it is also
/// the evaluation order) and by deadline, so that every edit costs O(log n): a batch of 10,000
/// <c>add ns acl</c> lines stays linear.
/// </para>
/// </summary>
public sealed class ExtendedAclSet
{
    private static readonly IComparer<ExtendedAcl> PriorityOrder = Comparer<ExtendedAcl>.Create((x, y) => x.Priority.CompareTo(y.Priority));

    private static readonly IComparer<ExtendedAcl> ExpiryOrder = Comparer<ExtendedAcl>.Create((x, y) =>
    {
        var c = x.ExpiresAtTicks.CompareTo(y.ExpiresAtTicks);
        return c != 0 ? c : string.CompareOrdinal(x.Name, y.Name);
    });

    private readonly ImmutableSortedSet<ExtendedAcl> _byPriority;
    private readonly ImmutableSortedSet<ExtendedAcl> _expiring;

    private ExtendedAclSet(AclFamily family, ImmutableDictionary<string, ExtendedAcl> rules, ImmutableSortedSet<ExtendedAcl> byPriority,
        ImmutableSortedSet<ExtendedAcl> expiring, AppliedAcls applied, long nextSequence)
    {
        Family = family;
        Rules = rules;
        _byPriority = byPriority;
        _expiring = expiring;
        Applied = applied;
        NextSequence = nextSequence;
    }

    public static ExtendedAclSet Empty(AclFamily family) =>
        new(family, ImmutableDictionary.Create<string, ExtendedAcl>(StringComparer.Ordinal), ImmutableSortedSet.Create(PriorityOrder),
            ImmutableSortedSet.Create(ExpiryOrder), AppliedAcls.None, 1);

    public AclFamily Family { get; }

    /// <summary>The configured rules by name (expired ones included until the next change).</summary>
    public ImmutableDictionary<string, ExtendedAcl> Rules { get; }

    public AppliedAcls Applied { get; }

    public long NextSequence { get; }

    /// <summary>The highest priority number NetScaler accepts for this family.</summary>
    public long MaxPriority => Family == AclFamily.V4 ? 100_000 : 80_000;

    /// <summary>The highest priority in use; 0 when there is no rule.</summary>
    public long HighestPriority => _byPriority.Max?.Priority ?? 0;

    /// <summary>Live configured rules in evaluation order (priorities are unique).</summary>
    public IEnumerable<ExtendedAcl> Ordered(long nowTicks) => _byPriority.Where(r => !r.IsExpired(nowTicks));

    /// <summary>The live configured rule of that name, or null.</summary>
    public ExtendedAcl? Find(string name, long nowTicks) => Rules.TryGetValue(name, out var r) && !r.IsExpired(nowTicks) ? r : null;

    /// <summary>The configured rule holding <paramref name="priority"/>, or null.</summary>
    public ExtendedAcl? AtPriority(long priority) =>
        _byPriority.TryGetValue(new ExtendedAcl("", Family, AclAction.Deny) { Priority = priority }, out var rule) ? rule : null;

    /// <summary>Where a configured rule stands against the applied table.</summary>
    public AclKernelState StateOf(ExtendedAcl rule) =>
        !Applied.ByName.TryGetValue(rule.Name, out var applied) ? AclKernelState.NotApplied
        : ReferenceEquals(applied, rule) ? AclKernelState.Applied
        : AclKernelState.ReApply;

    /// <summary>Applied rules removed since: still in force until the next apply.</summary>
    public IEnumerable<ExtendedAcl> PendingRemovals(long nowTicks) =>
        Applied.ByName.Values.Where(a => !Rules.ContainsKey(a.Name) && !a.IsExpired(nowTicks)).OrderBy(a => a.Priority);

    /// <summary>True when the configured rules differ from the applied ones.</summary>
    public bool HasPending(long nowTicks) =>
        Ordered(nowTicks).Any(r => StateOf(r) != AclKernelState.Applied) || PendingRemovals(nowTicks).Any();

    /// <summary>Adds a new rule, or replaces the configured rule of the same name (set, enable...); its priority must be free.</summary>
    public ExtendedAclSet With(ExtendedAcl rule)
    {
        if (rule.Sequence == 0)
        {
            rule = rule with { Sequence = NextSequence };
        }

        var set = Rules.TryGetValue(rule.Name, out var old) ? Without(old.Name) : this;
        return new(Family, set.Rules.Add(rule.Name, rule), set._byPriority.Add(rule),
            rule.ExpiresAtTicks != 0 ? set._expiring.Add(rule) : set._expiring, Applied, Math.Max(NextSequence, rule.Sequence + 1));
    }

    public ExtendedAclSet Without(string name) =>
        Rules.TryGetValue(name, out var rule)
            ? new(Family, Rules.Remove(name), _byPriority.Remove(rule), rule.ExpiresAtTicks != 0 ? _expiring.Remove(rule) : _expiring, Applied, NextSequence)
            : this;

    /// <summary>Drops expired rules from the configured set (the applied table ignores them by itself): O(expired × log n).</summary>
    public ExtendedAclSet WithoutExpired(long nowTicks)
    {
        var set = this;
        while (set._expiring.Min is { } first && first.IsExpired(nowTicks))
        {
            set = set.Without(first.Name);
        }

        return set;
    }

    /// <summary>Compiles the configured rules into the table the data path reads (<c>apply ns acls</c>).</summary>
    public ExtendedAclSet Apply(long nowTicks)
    {
        var live = WithoutExpired(nowTicks);
        var table = AclTable.Compile(live.Ordered(nowTicks), Family, nowTicks);
        return new(Family, live.Rules, live._byPriority, live._expiring, new AppliedAcls(live.Rules, table, nowTicks), NextSequence);
    }

    /// <summary>Removes every rule, applied ones included, at once (<c>clear ns acls</c> needs no apply).</summary>
    public ExtendedAclSet Clear(long nowTicks)
    {
        var empty = Empty(Family);
        return new(Family, empty.Rules, empty._byPriority, empty._expiring, new AppliedAcls(empty.Rules, AclTable.Empty, nowTicks), NextSequence);
    }
}
