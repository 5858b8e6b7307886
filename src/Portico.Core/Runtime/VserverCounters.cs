namespace Portico.Runtime;

/// <summary>Live counters of one vserver, kept across config changes that keep its name.</summary>
public sealed class VserverCounters
{
    /// <summary>Client connections open now.</summary>
    public long CurrentClientConnections;

    /// <summary>Client connections accepted.</summary>
    public long TotalConnections;

    /// <summary>Bytes received from clients.</summary>
    public long BytesFromClients;

    /// <summary>Bytes sent to clients.</summary>
    public long BytesToClients;

    /// <summary>Client connections refused because no service could take them.</summary>
    public long Refused;

    /// <summary>
    /// Client connections (UDP: datagrams opening no session) denied by an admission policy (simple or
    /// extended ACLs), closed before a byte was read; they are not counted in <see cref="TotalConnections"/>.
    /// </summary>
    public long Denied;

    /// <summary>
    /// Client connections (L7: server connections) refused because no source port was free toward the member
    /// chosen (<c>portico.l4.source_ports_exhausted</c>); <c>stat lb vserver</c> names the member and what to add.
    /// </summary>
    public long SourcePortsExhausted;

    /// <summary>Connections that had to start with a PROXY header (<c>-netProfile</c> with <c>-proxyProtocol ENABLED</c>) and did not.</summary>
    public long ProxyHeaderMissing;

    /// <summary>Connections whose PROXY header broke the specification (closed at once).</summary>
    public long ProxyHeaderMalformed;

    /// <summary>Connections that sent no complete PROXY header in time (closed).</summary>
    public long ProxyHeaderTimeouts;

    /// <summary>Connections handed to the backup vserver (no service available, or spillover).</summary>
    public long ToBackup;

    /// <summary>Connections closed for being idle longer than the timeout.</summary>
    public long IdleTimeouts;

    /// <summary>Requests handled (L7); for L4 the number of balanced connections.</summary>
    public long Requests;

    /// <summary>L7: requests answered 503 because no member of the vserver or its backups could take them.</summary>
    public long Errors503;

    /// <summary>L7: requests answered 502 (the member could not be reached or its answer was not HTTP).</summary>
    public long Errors502;

    /// <summary>L7: requests answered 504 (the member did not answer within <c>-svrTimeout</c>).</summary>
    public long Errors504;

    /// <summary>
    /// L7: requests the client broke (a chunked body that is not chunked, a CONNECT, a request Kestrel could
    /// not parse), answered 400 or 405 or cut; not the member's fault, logged rate-limited.
    /// </summary>
    public long ClientProtocolErrors;

    /// <summary>L7: requests the client gave up on (closed, reset, a broken request body): not errors of Portico or the member.</summary>
    public long ClientAborts;

    /// <summary>L7: responses the member broke off after they had started (reset or closed mid-body): the client got a truncated answer.</summary>
    public long ServerAborts;

    /// <summary>L7: idempotent requests sent to a second member after the first could not be connected to.</summary>
    public long Retries;

    /// <summary>L7: requests redirected from <c>-redirectFromPort</c> to HTTPS.</summary>
    public long Redirects;

    /// <summary>L7: requests the responder answered, dropped or reset itself (a redirect, a page, DROP, RESET).</summary>
    public long Responded;

    /// <summary>L7: conditional requests Portico answered 304 itself (<c>-eTag</c> STRIP or NORMALIZE), the member's body dropped.</summary>
    public long NotModified;
}
