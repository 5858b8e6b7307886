using Portico.Health.Probes;
using Portico.Runtime;

namespace Portico.Health;

/// <summary>
/// One monitor probing one member, on the shared <see cref="ProbeScheduler"/>: its turn comes, the probe
/// runs asynchronously (never on the data path), its result feeds the member, and the next turn is
/// scheduled. Turns are planned at a fixed rate from the previous plan, not from when the probe really
/// started, so a late timer on a busy machine does not stretch every following interval (and the
/// detection bound with it); jitter only shortens a delay.
/// </summary>
internal sealed class ProbeJob : IDisposable
{
    private readonly MemberMonitor _owner;
    private readonly IHealthProbe _probe;
    private readonly TimeProvider _time;
    private readonly double _jitter;
    private readonly bool _spread;
    private readonly ProbeScheduler _scheduler;
    private readonly Lock _lock = new();
    private CancellationTokenSource? _inflight;
    private DateTimeOffset _planned;
    private bool _disposed;

    public ProbeJob(MemberMonitor owner, ProbeTarget target, string identity, HealthState initial, TimeProvider time, HealthOptions options, ProbeScheduler scheduler)
    {
        _owner = owner;
        Target = target;
        Identity = identity;
        Machine = new HealthStateMachine(target.Monitor, initial);
        _probe = HealthProbes.For(target.Monitor.Type);
        _time = time;
        _jitter = options.Jitter;
        _spread = options.Spread;
        _scheduler = scheduler;
    }

    public ProbeTarget Target { get; }

    /// <summary>The monitor's canonical line, the endpoint and the source: a job survives a change that keeps all three.</summary>
    public string Identity { get; }

    /// <summary>Read and written under the owner's lock.</summary>
    public HealthStateMachine Machine { get; }

    public ProbeCounters Counters { get; } = new();

    public LbMonitor Monitor => Target.Monitor;

    /// <summary>Schedules the first probe: somewhere within the first interval, so members added together spread out.</summary>
    public void Start()
    {
        var first = _spread ? Monitor.Interval.Span * Random.Shared.NextDouble() : TimeSpan.Zero;
        _planned = _time.GetUtcNow() + first;
        _scheduler.Schedule(this, _planned);
    }

    /// <summary>The scheduler's call: runs one probe, then schedules the next (a disposed job just stops).</summary>
    public void Run() => _ = RunAsync();

    private async Task RunAsync()
    {
        CancellationTokenSource cts;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            cts = new CancellationTokenSource(Monitor.ResponseTimeout.Span, _time);
            _inflight = cts;
        }

        var started = _time.GetTimestamp();
        ProbeResult result;
        try
        {
            result = await _probe.ProbeAsync(Target, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A defect in a probe must not stop monitoring, nor pass for a healthy member.
            result = new ProbeResult(ProbeStatus.ERROR, $"probe failed: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            lock (_lock)
            {
                _inflight = null;
            }

            cts.Dispose();
        }

        var elapsed = _time.GetElapsedTime(started);
        Interlocked.Exchange(ref Counters.LastResponseMicroseconds, (long)elapsed.TotalMicroseconds);
        if (!result.Ok && !result.NoVerdict)
        {
            Interlocked.Increment(ref Counters.Failures);
        }

        var next = _owner.OnResult(this, result, _time.GetUtcNow());
        if (_jitter > 0)
        {
            next *= 1 - (_jitter * Random.Shared.NextDouble());
        }

        if (!IsDisposed)
        {
            // Only the scheduler's thread and this continuation touch _planned, one after the other.
            var now = _time.GetUtcNow();
            _planned = _planned + next > now ? _planned + next : now;
            _scheduler.Schedule(this, _planned);
        }

        // Counted last: whoever sees the count also sees the state it led to and the next probe scheduled.
        Interlocked.Increment(ref Counters.Probes);
    }

    /// <summary>Stops probing; a probe in flight is cancelled and its result dropped.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                _inflight?.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    internal bool IsDisposed
    {
        get
        {
            lock (_lock)
            {
                return _disposed;
            }
        }
    }
}
