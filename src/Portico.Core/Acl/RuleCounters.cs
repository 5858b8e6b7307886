namespace Portico.Acl;

/// <summary>
/// The live counters of one rule: created with the rule, kept by <c>set</c>, <c>enable</c>,
/// <c>renumber</c> and <c>apply</c> (the record is copied, the counters object is shared), so
/// <c>show</c> reports hits since the rule was added.
/// </summary>
public sealed class RuleCounters
{
    /// <summary>Connections (or UDP datagrams) the rule matched.</summary>
    public long Hits;

    /// <summary>Start of the current one-second log window, in <see cref="TimeProvider"/> timestamp units.</summary>
    internal long LogWindowStart;

    /// <summary>Log lines written in the current window.</summary>
    internal int LogWindowCount;

    /// <summary>
    /// True when one more log line fits under <paramref name="perSecond"/> (NetScaler's <c>-ratelimit</c>).
    /// A lost race can let one extra line through or drop one; the limit exists to protect the log.
    /// </summary>
    internal bool TryLog(long now, long frequency, long perSecond)
    {
        var start = Volatile.Read(ref LogWindowStart);
        if (now - start >= frequency)
        {
            Volatile.Write(ref LogWindowStart, now);
            Volatile.Write(ref LogWindowCount, 1);
            return true;
        }

        return Interlocked.Increment(ref LogWindowCount) <= perSecond;
    }
}
