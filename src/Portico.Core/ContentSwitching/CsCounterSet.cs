using Portico.Counters;

namespace Portico.ContentSwitching;

/// <summary>
/// cs vservers' switching in the catalogue (so <c>/metrics</c>, <c>show ns counters</c> and the history log): requests,
/// default hits and unserved requests per cs vserver, and the hits of each cs policy summed over the vservers binding it.
/// </summary>
internal sealed class CsCounterSet(CsListeningSource source) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare() =>
        new CounterGroup<CsVserverRuntime>("csvserver", "vserver", () => source.Current.Values, v => v.Name)
            .Total("requests", "{request}", "Requests the cs vserver received", v => Interlocked.Read(ref v.Front.Counters.Requests))
            .Total("default_hits", "{request}", "Requests no policy matched, sent to the default lb vserver", v => Interlocked.Read(ref v.Counters.DefaultHits))
            .Total("unserved", "{request}", "Requests answered 503: no policy matched and no default, or the target could not serve", v => Interlocked.Read(ref v.Counters.Unserved))
            .Total("undefined", "{evaluation}", "Rule evaluations that were UNDEF (counted as no match)", v => Interlocked.Read(ref v.Counters.Undefined))
            .Definitions
            .Concat(new CounterGroup<(string Policy, long Hits)>("cspolicy", "policy", Policies, p => p.Policy)
                .Total("hits", "{request}", "Requests the cs policy matched and switched", p => p.Hits)
                .Definitions);

    private IEnumerable<(string, long)> Policies() =>
        source.Current.Values.SelectMany(v => v.Table.Entries.Select((e, i) => (e.Policy, Interlocked.Read(ref v.Hits[i].Value))))
            .GroupBy(x => x.Policy, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(x => x.Item2)));
}
