namespace Portico.Capture.Files;

/// <summary>
/// The bytes per second a capture may write. A capture thread over budget sleeps: libpcap's ring (or the
/// tap's queue) fills and the excess is dropped and counted, instead of the capture spending CPU and memory
/// bandwidth the data path needs (measured in docs/design/capture.md). Only capture threads spend it.
/// </summary>
internal sealed class WriteBudget(long bytesPerSecond)
{
    private const long SliceMs = 50;

    private readonly Lock _lock = new();
    private readonly long _perSlice = Math.Max(1, bytesPerSecond * SliceMs / 1000);
    private long _sliceStart = Environment.TickCount64;
    private long _spent;

    /// <summary>Spends <paramref name="bytes"/>; sleeps the calling capture thread to the next slice when the budget is gone.</summary>
    public void Spend(int bytes)
    {
        int wait;
        lock (_lock)
        {
            var now = Environment.TickCount64;
            if (now - _sliceStart >= SliceMs)
            {
                _sliceStart = now;
                _spent = 0;
            }

            _spent += bytes;
            wait = _spent < _perSlice ? 0 : (int)Math.Max(1, SliceMs - (now - _sliceStart));
        }

        if (wait > 0)
        {
            Thread.Sleep(wait);
        }
    }
}
