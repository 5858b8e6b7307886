using System.Collections.Immutable;

namespace Portico.Acl;

/// <summary>
/// Every simple ACL, as part of the running config: indexed by name (per family) for the commands and
/// by source address for the data path, plus the rules with a TTL in deadline order.
/// <para>
/// The set is persistent (immutable hash tries that share structure): adding or removing a rule costs
/// O(log n) and leaves the previous set intact, so a batch edits its own copy in O(1), an <c>add</c> on
/// top of 100,000 rules does not rebuild them, and a batch of 10,000 adds stays linear. See
/// docs/design/acl.md for the measurements behind this choice.
/// </para>
/// <para>
/// A rule whose TTL ran out is invisible from that instant (it matches nothing, <c>show</c> and
/// <c>save</c> skip it, its name is free again); its memory is reclaimed by the next change to simple ACLs.
/// </para>
/// </summary>
public sealed class SimpleAclSet
{
    public static readonly SimpleAclSet Empty = new(
        ImmutableDictionary.Create<string, SimpleAcl>(StringComparer.Ordinal),
        ImmutableDictionary.Create<string, SimpleAcl>(StringComparer.Ordinal),
        ImmutableDictionary<UInt128, SimpleAclSourceRules>.Empty,
        ImmutableSortedSet.Create<SimpleAcl>(ExpiryOrder.Instance),
        1);

    private readonly ImmutableDictionary<string, SimpleAcl> _v4;
    private readonly ImmutableDictionary<string, SimpleAcl> _v6;
    private readonly ImmutableDictionary<UInt128, SimpleAclSourceRules> _bySource;
    private readonly ImmutableSortedSet<SimpleAcl> _expiring;
    private readonly long _nextSequence;

    private SimpleAclSet(ImmutableDictionary<string, SimpleAcl> v4, ImmutableDictionary<string, SimpleAcl> v6,
        ImmutableDictionary<UInt128, SimpleAclSourceRules> bySource, ImmutableSortedSet<SimpleAcl> expiring, long nextSequence)
    {
        _v4 = v4;
        _v6 = v6;
        _bySource = bySource;
        _expiring = expiring;
        _nextSequence = nextSequence;
    }

    /// <summary>Rules held, expired ones not yet reclaimed included.</summary>
    public int StoredCount => _v4.Count + _v6.Count;

    /// <summary>Rules of <paramref name="family"/> still live at <paramref name="nowTicks"/>.</summary>
    public int LiveCount(AclFamily family, long nowTicks) =>
        Names(family).Count - _expiring.TakeWhile(r => r.IsExpired(nowTicks)).Count(r => r.Family == family);

    /// <summary>The live rule of that name, or null.</summary>
    public SimpleAcl? Find(AclFamily family, string name, long nowTicks) =>
        Names(family).TryGetValue(name, out var rule) && !rule.IsExpired(nowTicks) ? rule : null;

    /// <summary>The rules of one source address, expired ones included (check with <see cref="SimpleAclSourceRules.Match"/>).</summary>
    public SimpleAclSourceRules? RulesFor(UInt128 source) => _bySource.TryGetValue(source, out var rules) ? rules : null;

    /// <summary>Live rules of <paramref name="family"/> in creation order.</summary>
    public IEnumerable<SimpleAcl> Live(AclFamily family, long nowTicks) =>
        Names(family).Values.Where(r => !r.IsExpired(nowTicks)).OrderBy(r => r.Sequence);

    /// <summary>Every live rule of both families, in creation order.</summary>
    public IEnumerable<SimpleAcl> AllLive(long nowTicks) => Live(AclFamily.V4, nowTicks).Concat(Live(AclFamily.V6, nowTicks));

    /// <summary>Adds a rule the caller has checked (free name, no conflicting rule for the source).</summary>
    public SimpleAclSet Add(SimpleAcl rule)
    {
        if (rule.Sequence == 0)
        {
            rule = rule with { Sequence = _nextSequence };
        }

        var names = Names(rule.Family).Add(rule.Name, rule);
        var source = (RulesFor(rule.Key) ?? new SimpleAclSourceRules(null, [])).With(rule);
        return new SimpleAclSet(
            rule.Family == AclFamily.V4 ? names : _v4,
            rule.Family == AclFamily.V6 ? names : _v6,
            _bySource.SetItem(rule.Key, source),
            rule.ExpiresAtTicks != 0 ? _expiring.Add(rule) : _expiring,
            Math.Max(_nextSequence, rule.Sequence + 1));
    }

    /// <summary>Removes a rule of this set.</summary>
    public SimpleAclSet Remove(SimpleAcl rule)
    {
        var source = RulesFor(rule.Key)?.Without(rule);
        return new SimpleAclSet(
            rule.Family == AclFamily.V4 ? _v4.Remove(rule.Name) : _v4,
            rule.Family == AclFamily.V6 ? _v6.Remove(rule.Name) : _v6,
            source is null || source.IsEmpty ? _bySource.Remove(rule.Key) : _bySource.SetItem(rule.Key, source),
            rule.ExpiresAtTicks != 0 ? _expiring.Remove(rule) : _expiring,
            _nextSequence);
    }

    /// <summary>Removes every rule of <paramref name="family"/> (<c>clear ns simpleacl</c>).</summary>
    public SimpleAclSet Clear(AclFamily family)
    {
        var set = this;
        foreach (var rule in Names(family).Values)
        {
            set = set.Remove(rule);
        }

        return set;
    }

    /// <summary>Reclaims the rules whose TTL ran out at <paramref name="nowTicks"/>: O(expired × log n).</summary>
    public SimpleAclSet WithoutExpired(long nowTicks)
    {
        var set = this;
        while (!set._expiring.IsEmpty && set._expiring.Min!.IsExpired(nowTicks))
        {
            set = set.Remove(set._expiring.Min);
        }

        return set;
    }

    /// <summary>
    /// Only the rules with a TTL: what a reload keeps. They are runtime state that no file holds (a
    /// fail2ban-style block must not end because the config file was re-read); permanent rules come
    /// from the file like everything else.
    /// </summary>
    public SimpleAclSet TemporaryOnly()
    {
        var set = Empty;
        foreach (var rule in _expiring)
        {
            set = set.Add(rule);
        }

        return set;
    }

    private ImmutableDictionary<string, SimpleAcl> Names(AclFamily family) => family == AclFamily.V4 ? _v4 : _v6;

    /// <summary>Deadline order; name and family break ties so two rules never compare equal.</summary>
    private sealed class ExpiryOrder : IComparer<SimpleAcl>
    {
        public static readonly ExpiryOrder Instance = new();

        public int Compare(SimpleAcl? x, SimpleAcl? y)
        {
            var c = x!.ExpiresAtTicks.CompareTo(y!.ExpiresAtTicks);
            if (c == 0)
            {
                c = x.Family.CompareTo(y.Family);
            }

            return c != 0 ? c : string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
