using System.Collections.Concurrent;

namespace Portico.Admin.Nitro;

/// <summary>
/// Failed logins per client address: after <see cref="MaxFailures"/> within <see cref="Window"/>, the address is
/// refused without a password check until the window since its last failure has passed. Bounded: the table forgets
/// quiet addresses.
/// </summary>
public sealed class LoginLimiter(TimeProvider time)
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Last)> _failures = new(StringComparer.Ordinal);

    /// <summary>Seconds until <paramref name="address"/> may try again; 0 when it may now.</summary>
    public int RetryAfter(string address)
    {
        if (!_failures.TryGetValue(address, out var f) || f.Count < MaxFailures)
        {
            return 0;
        }

        var left = f.Last + Window - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            _failures.TryRemove(address, out _);
            return 0;
        }

        return (int)Math.Ceiling(left.TotalSeconds);
    }

    public void Failed(string address)
    {
        var now = time.GetUtcNow();
        if (_failures.Count > 10_000)
        {
            foreach (var old in _failures.Where(x => now - x.Value.Last > Window).Select(x => x.Key).ToList())
            {
                _failures.TryRemove(old, out _);
            }
        }

        _failures.AddOrUpdate(address, (1, now), (_, f) => now - f.Last > Window ? (1, now) : (f.Count + 1, now));
    }

    public void Succeeded(string address) => _failures.TryRemove(address, out _);
}
