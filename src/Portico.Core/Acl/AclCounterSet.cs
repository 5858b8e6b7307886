using Portico.Configuration;
using Portico.Counters;

namespace Portico.Acl;

/// <summary>
/// ACL counters: the hits of every rule (<c>portico.acl.hits</c>, entity <c>simple:name</c>,
/// <c>extended:name</c>, <c>simple6:</c>, <c>extended6:</c>) and the totals <c>stat ns simpleacl</c> and
/// <c>stat ns acl</c> show, per table. Rules that expired are no longer listed.
/// </summary>
internal sealed class AclCounterSet(ConfigStore store, AclAdmissionPolicy policy, TimeProvider time) : ICounterSet
{
    private static readonly (string Table, bool Simple, AclFamily Family)[] Tables =
        [("simple", true, AclFamily.V4), ("extended", false, AclFamily.V4), ("simple6", true, AclFamily.V6), ("extended6", false, AclFamily.V6)];

    public IEnumerable<CounterDefinition> Declare()
    {
        yield return new CounterDefinition("portico.acl.hits", "{connection}", CounterKind.Total, "acl",
            "Connections (or UDP datagrams without a session) each ACL rule matched", Hits);
        var totals = new CounterGroup<(string Table, bool Simple, AclFamily Family)>("acl", "table", () => Tables, t => t.Table)
            .Total("table.hits", "{connection}", "Connections a rule of the table matched", t => Interlocked.Read(ref Stats(t).Hits))
            .Total("table.misses", "{connection}", "Connections no rule of the table matched", t => Interlocked.Read(ref Stats(t).Misses))
            .Total("table.allowed", "{connection}", "Matches of ALLOW rules", t => Interlocked.Read(ref Stats(t).Allowed))
            .Total("table.denied", "{connection}", "Matches of DENY rules: connections reset before a byte was read", t => Interlocked.Read(ref Stats(t).Denied));
        foreach (var d in totals.Definitions)
        {
            yield return d;
        }
    }

    private AclStats Stats((string Table, bool Simple, AclFamily Family) t) => t.Simple ? policy.SimpleStats(t.Family) : policy.ExtendedStats(t.Family);

    private IEnumerable<CounterReading> Hits()
    {
        var config = store.Current;
        var now = time.GetUtcNow().UtcTicks;
        foreach (var family in (AclFamily[])[AclFamily.V4, AclFamily.V6])
        {
            var suffix = family == AclFamily.V6 ? "6" : "";
            foreach (var rule in config.SimpleAcls.Live(family, now))
            {
                yield return new CounterReading($"simple{suffix}:{rule.Name}", Interlocked.Read(ref rule.Counters.Hits));
            }

            foreach (var rule in config.ExtendedAcls[family].Ordered(now))
            {
                yield return new CounterReading($"extended{suffix}:{rule.Name}", Interlocked.Read(ref rule.Counters.Hits));
            }
        }
    }
}
