using Portico.Runtime;

namespace Portico.Counters;

/// <summary>The counters of every member (<c>stat service</c>), tagged <c>service</c> with the member's display name.</summary>
internal sealed class ServiceCounterSet(IRuntimeSource runtime) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare() =>
        new CounterGroup<ServiceRuntime>("service", "service", () => runtime.Current.Services.Values, s => s.Name)
            .Gauge("up", "{state}", "1 when the service is enabled and UP, 0 when DOWN or OUT OF SERVICE", s => s.IsAvailable ? 1 : 0)
            .Gauge("connections.current", "{connection}", "Server connections open now (L7: requests in flight)", s => Volatile.Read(ref s.Counters.CurrentConnections))
            .Total("connections", "{connection}", "Server connections opened", s => Interlocked.Read(ref s.Counters.TotalConnections))
            .Total("requests", "{request}", "Requests (L7) or connections (L4) handed to the service: its hits", s => Interlocked.Read(ref s.Counters.Requests))
            .Total("sent.bytes", "By", "Bytes sent to the server", s => Interlocked.Read(ref s.Counters.BytesToServer))
            .Total("received.bytes", "By", "Bytes received from the server", s => Interlocked.Read(ref s.Counters.BytesFromServer))
            .Total("connect_failures", "{connection}", "Connects that failed (refused, timed out, unreachable)", s => Interlocked.Read(ref s.Counters.ConnectFailures))
            .Gauge("response_time", "us", "Moving average of the time to first byte of the response (L7)", s => Volatile.Read(ref s.Counters.ResponseTimeAverageMicros))
            .Definitions;
}
