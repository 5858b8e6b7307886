using System.Collections.Concurrent;

namespace Portico.Policies;

/// <summary>Hits of each policy of one kind (responder, rewrite), kept by name across config changes.</summary>
public sealed class PolicyCounters
{
    private readonly ConcurrentDictionary<string, PolicyHits> _policies = new(StringComparer.Ordinal);

    public PolicyHits Of(string policy) => _policies.GetOrAdd(policy, _ => new PolicyHits());

    /// <summary>Forgets the counters of policies no longer in the config (called when a change is committed).</summary>
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
        /// <summary>Evaluations the rule matched.</summary>
        public long Hits;

        /// <summary>Evaluations that were UNDEF (the policy's undefAction ran).</summary>
        public long Undefined;
    }
}
