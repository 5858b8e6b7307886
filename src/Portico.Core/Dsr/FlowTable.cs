using System.Runtime.CompilerServices;

namespace Portico.Dsr;

/// <summary>
/// Maglev's connection tracking (Eisenbud et al., NSDI 2016, section 3.3): the backend each recent flow
/// went to, so a change of membership (a server added, weights changed) does not move flows that are
/// already established. A fixed, set-associative table owned by one forwarder thread: no lock, no
/// allocation after start. A full set evicts its least recently seen flow, which then simply falls back
/// to the consistent hash, as in Maglev.
/// </summary>
internal sealed class FlowTable
{
    /// <summary>Entries per set: a lookup reads one or two cache lines.</summary>
    private const int Ways = 4;

    private readonly Entry[] _entries;
    private readonly int _setMask;

    /// <param name="capacity">Flows held at most; rounded up to a power of two.</param>
    public FlowTable(int capacity = 1 << 18)
    {
        var sets = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(Ways, capacity / Ways));
        _entries = new Entry[sets * Ways];
        _setMask = sets - 1;
    }

    public int Capacity => _entries.Length;

    /// <summary>Every slot, for a scan by the owning thread (ACL cuts).</summary>
    public Span<Entry> Entries => _entries;

    /// <summary>Flows idle longer than this are forgotten.</summary>
    public long IdleTimeoutMs { get; init; } = 300_000;

    /// <summary>Flows recorded and not expired (counted on demand: a scan, for show commands).</summary>
    public int CountLive(long nowMs)
    {
        var n = 0;
        foreach (ref var e in _entries.AsSpan())
        {
            if (e.Key2 != 0 && nowMs - e.LastSeenMs <= IdleTimeoutMs)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>The entry of the flow, refreshed, or a reference to the slot it should take (<paramref name="found"/> false).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref Entry Find(ulong key1, ulong key2, ulong hash, long nowMs, out bool found)
    {
        var set = (int)(hash & (ulong)_setMask) * Ways;
        ref var victim = ref _entries[set];
        for (var i = 0; i < Ways; i++)
        {
            ref var e = ref _entries[set + i];
            if (e.Key1 == key1 && e.Key2 == key2)
            {
                if (nowMs - e.LastSeenMs <= IdleTimeoutMs)
                {
                    e.LastSeenMs = nowMs;
                    found = true;
                    return ref e;
                }

                found = false;
                return ref e;
            }

            if (e.LastSeenMs < victim.LastSeenMs)
            {
                victim = ref e;
            }
        }

        found = false;
        return ref victim;
    }

    /// <summary>One flow: its 5-tuple in two words, where it went, and when.</summary>
    public struct Entry
    {
        /// <summary>Source and destination addresses.</summary>
        public ulong Key1;

        /// <summary>Ports and protocol, with a marker bit so an empty entry (0) never matches.</summary>
        public ulong Key2;

        public long LastSeenMs;

        /// <summary>The port's backend id.</summary>
        public int Backend;

        /// <summary>The DSR model generation that admitted the flow (ACLs are checked again after a change).</summary>
        public int Generation;
    }
}
