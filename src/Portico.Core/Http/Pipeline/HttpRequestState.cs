using Portico.Runtime;

namespace Portico.Http.Pipeline;

/// <summary>What Portico decided for one request, shared by its middleware and transforms.</summary>
internal sealed class HttpRequestState(HttpVserver vserver, VserverConnection connection)
{
    /// <summary>The vserver as it was when the request arrived; a config change mid-request does not move it.</summary>
    public HttpVserver Vserver { get; } = vserver;

    public VserverConnection Connection { get; } = connection;

    /// <summary>The member chosen, reserved until the response ends.</summary>
    public ServiceRuntime? Member { get; set; }

    /// <summary>When the request was handed to the forwarder (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long SentAt { get; set; }

    /// <summary>A COOKIEINSERT value to set on the response, or null.</summary>
    public string? CookieToSet { get; set; }
}
