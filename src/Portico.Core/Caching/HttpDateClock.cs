using System.Text;

namespace Portico.Caching;

/// <summary>
/// The <c>Date</c> field line every answer from the cache carries, formatted once per second: a hit copies bytes,
/// it never formats a date.
/// </summary>
public sealed class HttpDateClock(TimeProvider time)
{
    private volatile Stamp? _stamp;

    /// <summary><c>Date: ...\r\n</c> for the current second.</summary>
    public byte[] Line(long nowTicks)
    {
        var second = nowTicks / TimeSpan.TicksPerSecond;
        var s = _stamp;
        if (s is null || s.Second != second)
        {
            s = new Stamp(second, Encoding.ASCII.GetBytes($"Date: {Validation.HttpDate.Format(new DateTimeOffset(second * TimeSpan.TicksPerSecond, TimeSpan.Zero))}\r\n"));
            _stamp = s;
        }

        return s.Bytes;
    }

    public long NowTicks => time.GetUtcNow().UtcTicks;

    private sealed record Stamp(long Second, byte[] Bytes);
}
