using System.Collections.Concurrent;

namespace Portico.Http.Proxying;

/// <summary>Something with a deadline: a client waiting for its next request, a server that owes an answer.</summary>
internal interface IExpiring
{
    /// <summary>A <see cref="TimeProvider"/> timestamp; 0 when nothing is timed.</summary>
    long Deadline { get; }

    /// <summary>Called once the deadline has passed: the owner closes its socket, which ends the pending operation.</summary>
    void Expire();
}

/// <summary>
/// Every timeout of the HTTP engine in one place: connections register once and write a deadline per operation
/// (a field store), and one timer looks at them four times a second. A timer or a cancellation source per request
/// would cost an allocation and a timer-queue operation on every read; this costs nothing until a deadline passes.
/// The resolution (a quarter of a second) is far finer than any HTTP timeout an operator sets.
/// </summary>
internal sealed class DeadlineSweeper : IDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<IExpiring, byte> _items = new(ReferenceEqualityComparer.Instance);
    private readonly TimeProvider _time;
    private readonly Lazy<ITimer> _timer;

    public DeadlineSweeper(TimeProvider time)
    {
        _time = time;

        // Started by the first connection: a Portico without HTTP traffic runs no timer for it.
        _timer = new(() => time.CreateTimer(_ => Sweep(), null, Period, Period));
    }

    public void Add(IExpiring item)
    {
        _ = _timer.Value;
        _items.TryAdd(item, 0);
    }

    public void Remove(IExpiring item) => _items.TryRemove(item, out _);

    /// <summary>The deadline <paramref name="after"/> from now; 0 (none) for a zero or negative span.</summary>
    public long After(TimeSpan after) =>
        after <= TimeSpan.Zero ? 0 : _time.GetTimestamp() + (long)(after.TotalSeconds * _time.TimestampFrequency);

    public long Now => _time.GetTimestamp();

    /// <summary>True when more than <paramref name="age"/> has passed since the timestamp <paramref name="since"/>.</summary>
    public bool Older(long since, TimeSpan age) => _time.GetElapsedTime(since) > age;

    /// <summary>Expires everything whose deadline has passed (the timer calls it; tests may too).</summary>
    public void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var (item, _) in _items)
        {
            var deadline = item.Deadline;
            if (deadline != 0 && now >= deadline)
            {
                item.Expire();
            }
        }
    }

    public void Dispose()
    {
        if (_timer.IsValueCreated)
        {
            _timer.Value.Dispose();
        }
    }
}
