namespace Portico.Health;

/// <summary>Process-wide tuning of health monitoring (not part of the NetScaler config).</summary>
public sealed record HealthOptions
{
    public const int DefaultPassiveFailureThreshold = 3;

    /// <summary>Consecutive failures of live traffic (connect failures, L7 errors) that mark a member DOWN; 0 = off.</summary>
    public int PassiveFailureThreshold { get; init; } = DefaultPassiveFailureThreshold;

    /// <summary>
    /// Each delay between probes is shortened by a random part of up to this fraction of it, so probes of
    /// many members spread out instead of beating in step; never lengthened, so detection stays within
    /// interval × retries + one response timeout. 0 makes timing exact (tests with fake time).
    /// </summary>
    public double Jitter { get; init; } = 0.1;

    /// <summary>
    /// Probes due within this window of the earliest one start together: fewer wake-ups, the same checks.
    /// A probe starts at most this early. Zero starts each exactly on time.
    /// </summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(10);
}
