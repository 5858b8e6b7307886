using Portico.Configuration;
using Portico.Policies;

namespace Portico.Caching;

/// <summary>
/// The integrated cache in force: the policy banks and groups compiled while the previous config still serves (in
/// force at the admission stage, before the batch's listeners open), and the store, which outlives every change.
/// The data path reads <see cref="Current"/> once per request and skips the cache when nothing is bound.
/// </summary>
public sealed class CacheRuntime(ExpressionContexts contexts, TimeProvider time) : IConfigObserver
{
    private volatile CacheTables _current = CacheTables.Empty;
    private long _limitBytes = CacheParameters.Default.MemLimitBytes;

    public CacheTables Current => _current;

    public CacheCounters Counters { get; } = new();

    public CacheStore Store => field ??= new CacheStore(Counters);

    /// <summary>The cache policies' own hits.</summary>
    public PolicyCounters PolicyHits { get; } = new();

    public TimeProvider Time { get; } = time;

    /// <summary>The whole cache's memory limit in bytes (<c>set cache parameter -memLimit</c>).</summary>
    public long LimitBytes => Interlocked.Read(ref _limitBytes);

    public ConfigStage Stage => ConfigStage.Admission;

    public IPreparedChange Prepare(RunningConfig previous, RunningConfig next) =>
        new Change(this, CacheTables.Compile(next, contexts.For(next), PolicyHits), next.CacheParameters.MemLimitBytes, [.. next.CachePolicies.Select(p => p.Name)],
            [.. previous.AllCacheGroups.Select(g => g.Name).Except(next.AllCacheGroups.Select(g => g.Name))]);

    private sealed class Change(CacheRuntime owner, CacheTables tables, long limit, string[] policies, string[] removedGroups) : IPreparedChange
    {
        public IReadOnlyList<string> Commit()
        {
            owner._current = tables;
            Interlocked.Exchange(ref owner._limitBytes, limit);
            owner.PolicyHits.Retain(policies);

            // A removed group's objects go with it; an added or changed group starts from what is stored.
            foreach (var g in removedGroups)
            {
                owner.Store.Remove(e => e.Group == g);
            }

            return [];
        }
    }
}
