using Portico.Counters;
using Portico.Runtime;

namespace Portico.ClientIp;

/// <summary>
/// The client-IP counters, declared in the catalogue so that <c>/metrics</c> and the history log carry them:
/// clients refused for want of a source port (<c>portico.l4.source_ports_exhausted</c>, per vserver), the
/// same per member with whether it is starved now, and connections refused for a missing, malformed or
/// late PROXY header on vservers that require one.
/// </summary>
internal sealed class ClientIpCounterSet(IRuntimeSource runtime) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare()
    {
        var vservers = new CounterGroup<VserverRuntime>("l4", "vserver", () => runtime.Current.Vservers.Values, v => v.Name)
            .Total("source_ports_exhausted", "{connection}",
                "Clients refused because every source address toward the chosen server ip:port had no free port; add a SNIP in the server's subnet",
                v => Interlocked.Read(ref v.Counters.SourcePortsExhausted));
        var members = new CounterGroup<ServiceRuntime>("service", "service", () => runtime.Current.Services.Values, s => s.Name)
            .Total("source_ports_exhausted", "{connection}", "Connects to this member that found no free source port (not counted as connect failures)",
                s => Interlocked.Read(ref s.Counters.SourcePortsExhausted))
            .Gauge("source_ports_starved", "{state}", "1 while connects to this member find no free source port, 0 once one succeeds",
                s => s.ClientIp.SourcePorts.IsStarved ? 1 : 0);
        var proxy = new CounterGroup<VserverRuntime>("vserver", "vserver", () => runtime.Current.Vservers.Values, v => v.Name)
            .Total("proxy_header_missing", "{connection}", "Connections reset on a vserver that requires a PROXY header: the client sent none",
                v => Interlocked.Read(ref v.Counters.ProxyHeaderMissing))
            .Total("proxy_header_malformed", "{connection}", "Connections reset: the PROXY header broke the specification, its bounds or its CRC32c",
                v => Interlocked.Read(ref v.Counters.ProxyHeaderMalformed))
            .Total("proxy_header_timeouts", "{connection}", "Connections reset: the PROXY header was not complete within the time bound",
                v => Interlocked.Read(ref v.Counters.ProxyHeaderTimeouts));
        return [.. vservers.Definitions, .. members.Definitions, .. proxy.Definitions];
    }
}
