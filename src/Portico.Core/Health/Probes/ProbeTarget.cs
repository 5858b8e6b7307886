using System.Net;

namespace Portico.Health.Probes;

/// <summary>Where and how to probe: the member's address and port (or the monitor's -destPort), the source, the monitor.</summary>
/// <param name="Source">The SNIP to send from, or null to let the kernel choose.</param>
internal sealed record ProbeTarget(IPEndPoint Endpoint, IPAddress? Source, LbMonitor Monitor)
{
    /// <summary>The PROXY protocol version the member's net profile sends, so its probes send it too; null for none.</summary>
    public Portico.Runtime.ProxyProtocolVersion? SendProxy { get; init; }
}
