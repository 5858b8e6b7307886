using Portico.Counters;
using Portico.Runtime;

namespace Portico.Caching;

/// <summary>The cache's totals and memory, and its policies' hits, in the catalogue (<c>/metrics</c>, <c>show ns counters</c>, the history log).</summary>
internal sealed class CacheCounterSet(CacheRuntime cache, IRuntimeSource runtime) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare()
    {
        var c = cache.Counters;
        var whole = new CounterGroup<string>("cache", null, () => ["cache"], n => n)
            .Total("hits", "{request}", "Requests answered from a stored object (304s included)", _ => Interlocked.Read(ref c.Hits))
            .Total("misses", "{request}", "Cacheable requests that found no usable object and went to a member", _ => Interlocked.Read(ref c.Misses))
            .Total("not_modified_served", "{request}", "Conditional requests the cache answered 304 itself", _ => Interlocked.Read(ref c.NotModifiedServed))
            .Total("revalidations", "{request}", "Stale objects revalidated with a member", _ => Interlocked.Read(ref c.Revalidations))
            .Total("refreshed", "{object}", "Revalidations a member answered 304", _ => Interlocked.Read(ref c.Refreshed))
            .Total("stored", "{object}", "Responses stored", _ => Interlocked.Read(ref c.Stored))
            .Total("evicted", "{object}", "Objects removed to stay within a memory limit", _ => Interlocked.Read(ref c.Evicted))
            .Total("invalidated", "{object}", "Objects removed by a flush or an INVAL policy", _ => Interlocked.Read(ref c.Invalidated))
            .Total("flash_waits", "{request}", "Requests that waited for another's fetch of the same object", _ => Interlocked.Read(ref c.FlashWaits))
            .Gauge("memory_used", "By", "Bytes the stored objects take", _ => cache.Store.BytesUsed)
            .Gauge("objects", "{object}", "Objects stored (each variant counts)", _ => cache.Store.Count)
            .Definitions;
        var policies = new CounterGroup<string>("cachepolicy", "policy", () => runtime.Current.Config.CachePolicies.Select(p => p.Name), p => p)
            .Total("hits", "{request}", "Requests or responses the cache policy's rule matched", p => Interlocked.Read(ref cache.PolicyHits.Of(p).Hits))
            .Total("undef_hits", "{request}", "Evaluations for which the rule was UNDEF", p => Interlocked.Read(ref cache.PolicyHits.Of(p).Undefined))
            .Definitions;
        return whole.Concat(policies);
    }
}
