using Portico.Runtime;

namespace Portico.Http.Proxying;

/// <summary>How one attempt to forward a request ended, for counters, passive health and the client's answer.</summary>
internal enum Outcome
{
    /// <summary>The response was relayed whole.</summary>
    Done,

    /// <summary>The member could not be connected to (already counted and told to passive health): retry or 502.</summary>
    ConnectFailed,

    /// <summary>No source address or port for the connect: 502, nobody's fault but Portico's limits.</summary>
    Refused,

    /// <summary>A reused connection turned out closed before any answer: the request goes out again on a new one.</summary>
    StaleConnection,

    /// <summary>The member failed before a response started (<see cref="Exchange.Reason"/>): 502.</summary>
    MemberFailed,

    /// <summary>The member said nothing within <c>-svrTimeout</c>: 504.</summary>
    TimedOut,

    /// <summary>The member broke a response it had started: the client connection is closed, the answer is truncated.</summary>
    ServerBroke,

    /// <summary>The client went away or stopped reading: a client abort, never a 502.</summary>
    ClientGone,

    /// <summary>The client's chunked body turned out invalid while it streamed.</summary>
    InvalidBody,

    /// <summary>The connection was switched to a tunnel (WebSocket) and the tunnel has ended.</summary>
    Upgraded,
}

/// <summary>The result of one forwarding attempt.</summary>
internal readonly record struct Exchange(Outcome Outcome, ServiceRuntime? Member, string? Reason)
{
    /// <summary>The server connection may carry another request (the whole response and request went through).</summary>
    public bool ServerReusable { get; init; }

    /// <summary>The client connection may carry another request.</summary>
    public bool ClientKeepAlive { get; init; }

    /// <summary>The server's status (0 when there was no response).</summary>
    public int Status { get; init; }

    /// <summary>Bytes of the response already sent to the client: after that no error page can be written.</summary>
    public bool ResponseStarted { get; init; }
}
