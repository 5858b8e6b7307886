namespace Portico.Http.Proxying;

/// <summary>
/// The client connections' input blocks, kept instead of dropped. A warm keep-alive connection holds its block for
/// a moment after each answer (Http1Connection.Idle.cs), so under load hundreds are out at once: more than the
/// shared array pool keeps (a few dozen per size), whose surplus would be dropped on return, outlive the youngest
/// generation while it was in use, and stay in the process as uncollected garbage (measured: 19 KiB of RSS per idle
/// connection after 8,000 connections instead of 4). This pool keeps every block returned, up to
/// <see cref="Capacity"/>, so what a busy moment allocated is reused by the next one. What it keeps is bounded by
/// the most blocks ever out at once, and by <see cref="Capacity"/> (32 MiB).
/// </summary>
internal sealed class BlockPool
{
    public const int BlockSize = 8 * 1024;

    public const int Capacity = 4096;

    public static readonly BlockPool Input = new();

    private readonly Lock _lock = new();
    private readonly byte[][] _free = new byte[Capacity][];
    private int _count;

    /// <summary>Blocks kept for reuse now (for tests and counters).</summary>
    public int Free => Volatile.Read(ref _count);

    public byte[] Rent()
    {
        lock (_lock)
        {
            if (_count > 0)
            {
                var block = _free[--_count];
                _free[_count] = null!;
                return block;
            }
        }

        // On the pinned heap: blocks live long and would otherwise pin regions of the young heap between the
        // short-lived objects around them, keeping those regions in the process after a busy moment.
        return GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
    }

    /// <summary>Takes a block back; one of another size, or beyond the capacity, is left to the collector.</summary>
    public void Return(byte[] block)
    {
        if (block.Length != BlockSize)
        {
            return;
        }

        lock (_lock)
        {
            if (_count < Capacity)
            {
                _free[_count++] = block;
            }
        }
    }
}
