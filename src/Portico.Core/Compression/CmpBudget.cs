namespace Portico.Compression;

/// <summary>
/// The memory every live encoder may hold together. A response that would take the total over the cap passes
/// uncompressed (and is counted), so many slow compressed downloads cannot grow the process without bound.
/// </summary>
public sealed class CmpBudget(long capBytes = CmpBudget.DefaultCap)
{
    /// <summary>64 MiB: about 200 gzip streams or 20 brotli or zstd streams at once.</summary>
    public const long DefaultCap = 64L * 1024 * 1024;

    private long _used;

    public long Cap { get; } = capBytes;

    public long Used => Interlocked.Read(ref _used);

    public bool TryTake(int bytes)
    {
        if (Interlocked.Add(ref _used, bytes) <= Cap)
        {
            return true;
        }

        Interlocked.Add(ref _used, -bytes);
        return false;
    }

    public void Give(int bytes) => Interlocked.Add(ref _used, -bytes);
}
