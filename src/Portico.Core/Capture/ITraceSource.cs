using Portico.Capture.Filters;

namespace Portico.Capture;

/// <summary>Where a capture's packets come from: libpcap on interfaces, or the decrypted tap in the data paths.</summary>
internal interface ITraceSource : IDisposable
{
    /// <summary>For <c>show nstrace</c>: the interfaces, or the tap.</summary>
    string Where { get; }

    /// <summary>Packets lost before reaching the files (kernel ring full, tap queue full), the way the source counts them.</summary>
    long Dropped { get; }

    /// <summary>Starts delivering packets to the capture's files.</summary>
    void Start();

    /// <summary>Stops delivering; returns once no more packets will be written.</summary>
    void Stop();

    /// <summary>The config changed: the names of the filter were expanded again.</summary>
    void UpdateFilter(TraceFilter filter);
}
