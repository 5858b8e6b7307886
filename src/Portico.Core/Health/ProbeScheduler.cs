namespace Portico.Health;

/// <summary>
/// The one timer every probe runs on. Jobs say when their next probe is due; a single
/// <see cref="TimeProvider"/> timer wakes for the earliest and starts every probe due within a short
/// window, so 1,000 members probed each second cost about a hundred wake-ups a second instead of a
/// thousand timers firing one by one (measured in docs/design/health.md). Probes start at most the
/// window early, never late on its account.
/// </summary>
internal sealed class ProbeScheduler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;
    private readonly PriorityQueue<ProbeJob, DateTimeOffset> _due = new();
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;
    private bool _disposed;

    public ProbeScheduler(TimeProvider time, TimeSpan window)
    {
        _time = time;
        _window = window;
        _timer = time.CreateTimer(static s => ((ProbeScheduler)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Runs <paramref name="job"/> once <paramref name="delay"/> from now has passed.</summary>
    public void Schedule(ProbeJob job, TimeSpan delay)
    {
        var at = _time.GetUtcNow() + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _due.Enqueue(job, at);
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
            var horizon = _time.GetUtcNow() + _window;
            while (_due.TryPeek(out var job, out var at) && at <= horizon)
            {
                _due.Dequeue();
                start.Add(job);
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
