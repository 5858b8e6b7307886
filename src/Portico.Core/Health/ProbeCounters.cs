namespace Portico.Health;

/// <summary>
/// Counters of one monitor on one member, kept while the member and the monitor stay the same.
/// Plain fields updated with <see cref="Interlocked"/>, like the data path's counters.
/// </summary>
internal sealed class ProbeCounters
{
    /// <summary>Probes sent.</summary>
    public long Probes;

    /// <summary>Probes that failed.</summary>
    public long Failures;

    /// <summary>How long the last probe took, in microseconds.</summary>
    public long LastResponseMicroseconds;
}
