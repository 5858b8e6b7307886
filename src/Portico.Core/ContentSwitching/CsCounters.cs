namespace Portico.ContentSwitching;

/// <summary>Live counters of one cs vserver's switching, kept across config changes that keep its name.</summary>
public sealed class CsCounters
{
    /// <summary>Requests sent to the default lb vserver because no policy matched.</summary>
    public long DefaultHits;

    /// <summary>Requests answered 503 because nothing matched and there is no default, or the target could not serve.</summary>
    public long Unserved;

    /// <summary>Rule evaluations that were UNDEF (counted as no match).</summary>
    public long Undefined;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StrongBox> _hits = new(StringComparer.Ordinal);

    /// <summary>The hit counter of the policy <paramref name="policy"/> as bound to this vserver.</summary>
    public StrongBox HitsOf(string policy) => _hits.GetOrAdd(policy, _ => new StrongBox());

    public sealed class StrongBox
    {
        public long Value;
    }
}
