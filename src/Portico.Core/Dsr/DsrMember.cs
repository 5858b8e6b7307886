using Portico.Runtime;

namespace Portico.Dsr;

/// <summary>A member of a DSR vserver: the service as configured and the real server it reaches.</summary>
internal sealed class DsrMember(ServiceRuntime service, DsrBackend backend, int weight, string? problem)
{
    public ServiceRuntime Service { get; } = service;

    public DsrBackend Backend { get; } = backend;

    public int Weight { get; } = weight;

    /// <summary>Why the member can never take DSR traffic (a port other than the VIP's), or null.</summary>
    public string? Problem { get; } = problem;

    // Deltas since the last flush into the service's shared counters (forwarder thread only).
    public long PendingFlows;
    public long PendingPackets;
    public long PendingBytes;

    /// <summary>Can take flows now: enabled, UP (health), and answering ARP on the segment.</summary>
    public bool Usable(long nowMs) => Problem is null && Service.IsAvailable && Backend.Reachable(nowMs);

    /// <summary>Adds the pending deltas to the service's counters, as <c>stat service</c> shows them.</summary>
    public void Flush()
    {
        if (PendingFlows != 0)
        {
            Interlocked.Add(ref Service.Counters.TotalConnections, PendingFlows);
            Interlocked.Add(ref Service.Counters.Requests, PendingFlows);
            PendingFlows = 0;
        }

        if (PendingBytes != 0)
        {
            Interlocked.Add(ref Service.Counters.BytesToServer, PendingBytes);
            PendingBytes = 0;
        }

        PendingPackets = 0;
    }
}
