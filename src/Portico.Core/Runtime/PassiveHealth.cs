using Portico.Health;

namespace Portico.Runtime;

/// <summary>
/// Passive health of one member: what live traffic says between probes. The data paths call
/// <see cref="ReportSuccess"/> after a good exchange and <see cref="ReportFailure"/> after what a client would
/// have seen fail: a connect failure or a connection reset at once (L4), a reset, a response that is not
/// HTTP, a timeout or a 5xx (L7). <see cref="Threshold"/> failures raise <see cref="Tripped"/> unless
/// <see cref="Threshold"/> successes in a row came between them, and the health monitors then mark the
/// member DOWN until probes bring it back (HAProxy's <c>observe</c> with <c>on-error mark-down</c>).
/// <para>
/// Why not "N failures in a row" as HAProxy counts: a member that fails every other request (a worker that
/// crashes on one request in two) never fails twice in a row, and half the clients would fail for good. A
/// success alone therefore does not forgive; a run of them does. A member that fails one request in four or
/// fewer is left to its monitors, one failing one in three is taken out.
/// </para>
/// Both calls are lock-free and allocate nothing on the common path (no failure pending), so they may sit on
/// the hot path; concurrent reporters may carry a run a little past the threshold before it trips.
/// </summary>
public sealed class PassiveHealth
{
    private int _failuresInRun;
    private int _successesInRun;
    private long _failures;
    private long _trips;
    private string? _lastFailure;

    /// <summary>Failures (not cleared by as many successes in a row) that mark the member DOWN; 0 turns passive health off.</summary>
    public int Threshold { get; set; } = HealthOptions.DefaultPassiveFailureThreshold;

    /// <summary>Raised once per run of <see cref="Threshold"/> failures, with a reason naming the last failure.</summary>
    public event Action<PassiveHealth, string>? Tripped;

    /// <summary>Failures in the current run: since the last trip, or the last <see cref="Threshold"/> successes in a row.</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _failuresInRun);

    /// <summary>Failures reported since start.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Times the threshold was reached since start.</summary>
    public long Trips => Interlocked.Read(ref _trips);

    /// <summary>The reason of the last failure reported (<c>L7RSP reset during the response</c>), for <c>show service</c>.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>A connection or request to the member succeeded.</summary>
    public void ReportSuccess()
    {
        // Read first: the common case (no failure pending) then writes nothing and shares the cache line.
        if (Volatile.Read(ref _failuresInRun) == 0)
        {
            return;
        }

        if (Interlocked.Increment(ref _successesInRun) >= Math.Max(1, Threshold))
        {
            Interlocked.Exchange(ref _failuresInRun, 0);
            Interlocked.Exchange(ref _successesInRun, 0);
        }
    }

    /// <summary>A connection or request to the member failed; <paramref name="reason"/> names the layer (<c>L4CON connection refused</c>).</summary>
    public void ReportFailure(string reason)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _lastFailure, reason);
        if (Volatile.Read(ref _successesInRun) != 0)
        {
            Interlocked.Exchange(ref _successesInRun, 0);
        }

        var n = Interlocked.Increment(ref _failuresInRun);
        var threshold = Threshold;
        if (threshold > 0 && n >= threshold && Interlocked.CompareExchange(ref _failuresInRun, 0, n) == n)
        {
            Interlocked.Increment(ref _trips);
            Tripped?.Invoke(this, $"{n} failures of live traffic, last {reason}");
        }
    }
}
