namespace Portico.Health;

/// <summary>Process-wide tuning of health monitoring (not part of the NetScaler config).</summary>
public sealed record HealthOptions
{
    public const int DefaultPassiveFailureThreshold = 3;

    /// <summary>Consecutive failures of live traffic (connect failures, L7 errors) that mark a member DOWN; 0 = off.</summary>
    public int PassiveFailureThreshold { get; init; } = DefaultPassiveFailureThreshold;

    /// <summary>
    /// The first probe of a new job starts at a random point of its first interval, so members added together
    /// (a whole config at start-up) do not all probe at once. Off starts it at once (tests with fake time).
    /// </summary>
    public bool Spread { get; init; } = true;

    /// <summary>
    /// Each delay between probes is shortened by a random part of up to this fraction of it (HAProxy's
    /// spread-checks); never lengthened, so detection stays within interval × retries + one response timeout.
    /// Off by default: the scheduler's batching already keeps probes apart from the data path's rhythm.
    /// </summary>
    public double Jitter { get; init; }

    /// <summary>
    /// How early a probe may start, as a fraction of its monitor's interval, so that probes due close together
    /// start on one timer wake-up: 1,000 members at 1 s then cost about ten wake-ups a second. Probes are
    /// never late on this account. 0 starts each exactly on time.
    /// </summary>
    public double Batch { get; init; } = 0.25;
}
