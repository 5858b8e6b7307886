namespace Portico.Acl.Compiled;

/// <summary>
/// A segment tree over one dimension (an address or a port): which rules' ranges contain a value.
/// <para>
/// The range ends cut the dimension into at most 2n+1 elementary intervals, the leaves. Each rule is
/// stored at the O(log n) tree nodes whose spans exactly cover its range, so the index holds
/// O(n log n) entries even when ranges nest (an interval table listing every covering rule per leaf
/// would need O(n²)). A lookup is a binary search for the leaf, then a walk to the root visiting the
/// rules of each node in rank order; a node is abandoned at its first rule that fully matches or at
/// a rank no better than the best found so far.
/// </para>
/// </summary>
internal sealed class IntervalIndex
{
    private readonly UInt128[] _starts;
    private readonly int _leaves;
    private readonly int[] _nodeStart;
    private readonly int[] _ranks;

    private IntervalIndex(UInt128[] starts, int leaves, int[] nodeStart, int[] ranks)
    {
        _starts = starts;
        _leaves = leaves;
        _nodeStart = nodeStart;
        _ranks = ranks;
    }

    /// <summary>Entries stored (rule ranks summed over nodes), for measurements.</summary>
    public int Entries => _ranks.Length;

    /// <summary>Builds the index of <paramref name="ranges"/>, which must come in ascending rank order.</summary>
    public static IntervalIndex Build(IReadOnlyList<(int Rank, UInt128 Low, UInt128 High)> ranges)
    {
        var cuts = new List<UInt128>(ranges.Count * 2 + 1) { UInt128.Zero };
        foreach (var (_, low, high) in ranges)
        {
            cuts.Add(low);
            if (high != UInt128.MaxValue)
            {
                cuts.Add(high + 1);
            }
        }

        cuts.Sort();
        var starts = new List<UInt128>(cuts.Count);
        foreach (var c in cuts)
        {
            if (starts.Count == 0 || starts[^1] != c)
            {
                starts.Add(c);
            }
        }

        var leaves = 1;
        while (leaves < starts.Count)
        {
            leaves <<= 1;
        }

        // Two passes over the canonical nodes: count, then fill, into one flat array (CSR layout).
        var counts = new int[2 * leaves + 1];
        ForEachNode(ranges, starts, leaves, (node, _) => counts[node + 1]++);
        for (var i = 1; i < counts.Length; i++)
        {
            counts[i] += counts[i - 1];
        }

        var ranks = new int[counts[^1]];
        var fill = (int[])counts.Clone();
        ForEachNode(ranges, starts, leaves, (node, rank) => ranks[fill[node]++] = rank);
        return new IntervalIndex([.. starts], leaves, counts, ranks);
    }

    /// <summary>
    /// The lowest rank below <paramref name="best"/> whose range contains <paramref name="value"/> and
    /// whose rule matches <paramref name="packet"/> entirely; else <paramref name="best"/>.
    /// </summary>
    public int Best(UInt128 value, int best, CompiledRule[] rules, in AclPacket packet, long nowTicks)
    {
        var leaf = LastStartAtOrBelow(value);
        for (var node = leaf + _leaves; node >= 1; node >>= 1)
        {
            for (var i = _nodeStart[node]; i < _nodeStart[node + 1]; i++)
            {
                var rank = _ranks[i];
                if (rank >= best)
                {
                    break;
                }

                if (rules[rank].Matches(packet, nowTicks))
                {
                    best = rank;
                    break;
                }
            }
        }

        return best;
    }

    private int LastStartAtOrBelow(UInt128 value)
    {
        int lo = 0, hi = _starts.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >> 1;
            if (_starts[mid] <= value)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return lo;
    }

    private static void ForEachNode(IReadOnlyList<(int Rank, UInt128 Low, UInt128 High)> ranges, List<UInt128> starts, int leaves, Action<int, int> visit)
    {
        foreach (var (rank, low, high) in ranges)
        {
            var l = starts.BinarySearch(low);
            var r = high == UInt128.MaxValue ? starts.Count - 1 : starts.BinarySearch(high + 1) - 1;
            for (l += leaves, r += leaves + 1; l < r; l >>= 1, r >>= 1)
            {
                if ((l & 1) == 1)
                {
                    visit(l++, rank);
                }

                if ((r & 1) == 1)
                {
                    visit(--r, rank);
                }
            }
        }
    }
}
