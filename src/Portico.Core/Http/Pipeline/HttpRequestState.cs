using Portico.Runtime;

namespace Portico.Http.Pipeline;

/// <summary>What Portico decided for one request, shared by its middleware and transforms.</summary>
internal sealed class HttpRequestState(HttpVserver vserver, VserverConnection connection)
{
    /// <summary>
    /// The vserver that balances the request: the one it arrived at, or the lb vserver a cs vserver switched it to.
    /// Taken as it was when the request arrived; a config change mid-request does not move it.
    /// </summary>
    public HttpVserver Vserver { get; set; } = vserver;

    /// <summary>The vserver whose listener the request arrived at (the cs vserver when it switched).</summary>
    public HttpVserver Listener { get; } = vserver;

    public VserverConnection Connection { get; } = connection;

    /// <summary>The request as policies read it; set only when a policy runs on this request.</summary>
    public Http2PolicyRequest? Policy { get; set; }

    /// <summary>The rewrite edits of the request, applied as it is forwarded; null when none.</summary>
    public Rewrite.HeadEdits? RequestEdits { get; set; }

    /// <summary>The member chosen, reserved until the response ends.</summary>
    public ServiceRuntime? Member { get; set; }

    /// <summary>When the request was handed to the forwarder (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long SentAt { get; set; }

    /// <summary>A COOKIEINSERT value to set on the response, or null.</summary>
    public string? CookieToSet { get; set; }
}
