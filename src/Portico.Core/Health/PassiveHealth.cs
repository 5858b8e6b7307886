namespace Portico.Health;

/// <summary>
/// Passive health of one member: what live traffic says between probes. The data paths call
/// <see cref="ReportSuccess"/> after a good exchange and <see cref="ReportFailure"/> after a connect
/// failure (L4) or a failed response (L7: 5xx, reset); <see cref="Threshold"/> failures in a row raise
/// <see cref="Tripped"/>, and the health monitors then mark the member DOWN until probes bring it back
/// (HAProxy's <c>observe</c> with <c>on-error mark-down</c>). Both calls are lock-free and allocate
/// nothing on the common path, so they may sit on the hot path.
/// </summary>
public sealed class PassiveHealth
{
    private int _consecutive;
    private long _failures;
    private long _trips;

    /// <summary>Consecutive failures that mark the member DOWN; 0 turns passive health off. Set by the health monitors.</summary>
    public int Threshold { get; set; } = HealthOptions.DefaultPassiveFailureThreshold;

    /// <summary>Raised once per run of <see cref="Threshold"/> failures, with a reason naming the last failure.</summary>
    public event Action<PassiveHealth, string>? Tripped;

    /// <summary>Failures reported since the last success.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutive);

    /// <summary>Failures reported since start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Times the threshold was reached since start.</summary>
    public long Trips => Interlocked.Read(ref _trips);

    /// <summary>A connection or request to the member succeeded.</summary>
    public void ReportSuccess()
    {
        // Read first: the common case (no failure pending) then writes nothing and shares the cache line.
        if (Volatile.Read(ref _consecutive) != 0)
        {
            Interlocked.Exchange(ref _consecutive, 0);
        }
    }

    /// <summary>A connection or request to the member failed; <paramref name="reason"/> names the layer (<c>L4CON connection refused</c>).</summary>
    public void ReportFailure(string reason)
    {
        Interlocked.Increment(ref _failures);
        var n = Interlocked.Increment(ref _consecutive);
        var threshold = Threshold;
        if (threshold > 0 && n >= threshold && Interlocked.CompareExchange(ref _consecutive, 0, n) == n)
        {
            Interlocked.Increment(ref _trips);
            Tripped?.Invoke(this, $"{n} consecutive failures of live traffic, last {reason}");
        }
    }
}
