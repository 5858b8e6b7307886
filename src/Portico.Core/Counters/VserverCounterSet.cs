using Portico.Runtime;

namespace Portico.Counters;

/// <summary>The counters of every lb vserver (<c>stat lb vserver</c>), tagged <c>vserver</c>.</summary>
internal sealed class VserverCounterSet(IRuntimeSource runtime) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare() =>
        new CounterGroup<VserverRuntime>("vserver", "vserver", () => runtime.Current.Vservers.Values, v => v.Name)
            .Gauge("up", "{state}", "1 when the vserver listens and has a service that can take traffic, 0 when DOWN (no service, or it cannot listen) or disabled", v => v.StateWord == "UP" ? 1 : 0)
            .Gauge("connections.current", "{connection}", "Client connections open now", v => Volatile.Read(ref v.Counters.CurrentClientConnections))
            .Total("connections", "{connection}", "Client connections accepted", v => Interlocked.Read(ref v.Counters.TotalConnections))
            .Total("requests", "{request}", "Requests handled (L7); balanced connections (L4)", v => Interlocked.Read(ref v.Counters.Requests))
            .Total("received.bytes", "By", "Bytes received from clients", v => Interlocked.Read(ref v.Counters.BytesFromClients))
            .Total("sent.bytes", "By", "Bytes sent to clients", v => Interlocked.Read(ref v.Counters.BytesToClients))
            .Total("refused", "{connection}", "Client connections refused because no service could take them", v => Interlocked.Read(ref v.Counters.Refused))
            .Total("acl_denied", "{connection}", "Client connections denied by a simple or extended ACL", v => Interlocked.Read(ref v.Counters.Denied))
            .Total("to_backup", "{connection}", "Connections handed to the backup vserver", v => Interlocked.Read(ref v.Counters.ToBackup))
            .Total("idle_closed", "{connection}", "Connections closed for being idle past the timeout", v => Interlocked.Read(ref v.Counters.IdleTimeouts))
            .Total("http.503", "{response}", "L7 requests answered 503: no service up", v => Interlocked.Read(ref v.Counters.Errors503))
            .Total("http.502", "{response}", "L7 requests answered 502: bad gateway", v => Interlocked.Read(ref v.Counters.Errors502))
            .Total("http.504", "{response}", "L7 requests answered 504: server timeout", v => Interlocked.Read(ref v.Counters.Errors504))
            .Total("http.client_protocol_errors", "{request}", "L7 requests the client broke (bad request, broken chunked body, CONNECT)",
                v => Interlocked.Read(ref v.Counters.ClientProtocolErrors))
            .Total("http.client_aborts", "{request}", "L7 requests the client abandoned (closed or reset): not counted as 502", v => Interlocked.Read(ref v.Counters.ClientAborts))
            .Total("http.server_aborts", "{response}", "L7 responses the server broke off after they had started", v => Interlocked.Read(ref v.Counters.ServerAborts))
            .Total("redirects", "{response}", "L7 requests redirected to HTTPS (-redirectFromPort)", v => Interlocked.Read(ref v.Counters.Redirects))
            .Total("http.responded", "{request}", "L7 requests the responder answered, dropped or reset itself", v => Interlocked.Read(ref v.Counters.Responded))
            .Total("http.notmodified", "{response}", "L7 conditional requests Portico answered 304 itself (-eTag STRIP or NORMALIZE)", v => Interlocked.Read(ref v.Counters.NotModified))
            .Definitions;
}
