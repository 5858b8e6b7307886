namespace Portico.Balancing;

/// <summary>
/// Maglev's consistent hashing lookup table (Eisenbud et al., NSDI 2016, section 3.4): every member
/// fills table slots along its own permutation, in turn, until the table is full. A key maps to a
/// slot, the slot to a member. When a member leaves, almost only the slots it held move, so flows of
/// the remaining members stay put; two nodes with the same member names build the same table.
/// </summary>
public sealed class MaglevTable
{
    /// <summary>A prime well above 100 × the member count, as the paper advises.</summary>
    public const int DefaultSize = 65537;

    private readonly int[] _slots;

    /// <param name="names">Stable member names; the table depends only on these and the weights.</param>
    /// <param name="weights">Relative weights; a member of weight 2 takes two turns per round.</param>
    public MaglevTable(IReadOnlyList<string> names, IReadOnlyList<int> weights, int size = DefaultSize)
    {
        Names = names;
        Weights = weights;
        _slots = new int[size];
        if (names.Count == 0)
        {
            Array.Fill(_slots, -1);
            return;
        }

        Array.Fill(_slots, -1);
        var n = names.Count;
        var offset = new long[n];
        var skip = new long[n];
        var next = new long[n];
        for (var i = 0; i < n; i++)
        {
            offset[i] = (long)(StableHash.Of(names[i], 0xA5A5) % (ulong)size);
            skip[i] = (long)(StableHash.Of(names[i], 0x5A5A) % (ulong)(size - 1)) + 1;
        }

        var filled = 0;
        while (true)
        {
            for (var i = 0; i < n; i++)
            {
                for (var turn = 0; turn < Math.Max(1, weights[i]); turn++)
                {
                    var c = (offset[i] + next[i] * skip[i]) % size;
                    while (_slots[c] >= 0)
                    {
                        next[i]++;
                        c = (offset[i] + next[i] * skip[i]) % size;
                    }

                    _slots[c] = i;
                    next[i]++;
                    if (++filled == size)
                    {
                        return;
                    }
                }
            }
        }
    }

    public int Size => _slots.Length;

    /// <summary>The members the table was built over, by index.</summary>
    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<int> Weights { get; }

    /// <summary>The member index owning <paramref name="hash"/>, or -1 for an empty table.</summary>
    public int Lookup(ulong hash) => _slots[(int)(hash % (ulong)_slots.Length)];

    /// <summary>The member index of the slot <paramref name="step"/> places after the key's, for fallback.</summary>
    public int LookupAfter(ulong hash, int step) => _slots[(int)((hash + (ulong)step) % (ulong)_slots.Length)];
}
