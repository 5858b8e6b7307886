using System.Collections.Concurrent;

namespace Portico.Rewrite;

/// <summary>Hits of each rewrite policy, kept by name across config changes.</summary>
public sealed class RewriteCounters
{
    private readonly ConcurrentDictionary<string, PolicyHits> _policies = new(StringComparer.Ordinal);

    public PolicyHits Of(string policy) => _policies.GetOrAdd(policy, _ => new PolicyHits());

    public void Retain(IEnumerable<string> policies)
    {
        var keep = policies.ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _policies.Keys.Where(k => !keep.Contains(k)))
        {
            _policies.TryRemove(gone, out _);
        }
    }

    public sealed class PolicyHits
    {
        public long Hits;

        public long Undefined;
    }
}
