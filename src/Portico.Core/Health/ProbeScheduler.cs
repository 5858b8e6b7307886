namespace Portico.Health;

/// <summary>
/// The one timer every probe runs on. Each job says when its next probe is due and how early it may start
/// (a quarter of its interval). A single <see cref="TimeProvider"/> timer wakes for the earliest due probe
/// and starts with it every probe whose early-start bound has passed, so 1,000 members probed each second
/// cost about four wake-ups a second, not a thousand timers firing one by one (docs/design/health.md).
/// A probe may start early within its allowance, never late.
/// </summary>
internal sealed class ProbeScheduler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly double _batch;
    private readonly PriorityQueue<(ProbeJob Job, DateTimeOffset Earliest), DateTimeOffset> _due = new();
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;
    private bool _disposed;

    /// <param name="batch">How early a probe may start, as a fraction of its monitor's interval.</param>
    public ProbeScheduler(TimeProvider time, double batch)
    {
        _time = time;
        _batch = batch;
        _timer = time.CreateTimer(static s => ((ProbeScheduler)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Runs <paramref name="job"/> at <paramref name="at"/> (or a little before, with others due close to it).</summary>
    public void Schedule(ProbeJob job, DateTimeOffset at)
    {
        var earliest = at - (job.Monitor.Interval.Span * _batch);
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _due.Enqueue((job, earliest), at);
            if (at < _armedFor)
            {
                Arm(at);
            }
        }
    }

    private void OnTimer()
    {
        List<ProbeJob> start = [];
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _armedFor = DateTimeOffset.MaxValue;
            var now = _time.GetUtcNow();
            while (_due.TryPeek(out var entry, out var at) && (at <= now || entry.Earliest <= now))
            {
                _due.Dequeue();
                start.Add(entry.Job);
            }

            if (_due.TryPeek(out _, out var next))
            {
                Arm(next);
            }
        }

        foreach (var job in start)
        {
            job.Run();
        }
    }

    /// <summary>Sets the timer for <paramref name="at"/>. Called under the lock.</summary>
    private void Arm(DateTimeOffset at)
    {
        _armedFor = at;
        var delay = at - _time.GetUtcNow();
        _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Jobs waiting, disposed ones included until their turn comes (they are skipped then).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _due.Count;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _due.Clear();
            _timer.Dispose();
        }
    }
}
