using System.Collections.Concurrent;

namespace Portico.Responder;

/// <summary>Hits of each responder policy, kept by name across config changes.</summary>
public sealed class ResponderCounters
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
        /// <summary>Requests the rule matched.</summary>
        public long Hits;

        /// <summary>Requests for which the rule was UNDEF (its undefAction ran).</summary>
        public long Undefined;
    }
}
