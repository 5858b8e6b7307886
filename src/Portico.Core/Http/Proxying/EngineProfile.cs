using Portico.Http.Parsing;

namespace Portico.Http.Proxying;

/// <summary>What to do when a request head is not in within the profile's -reqTimeout.</summary>
internal enum HeadTimeoutAction
{
    /// <summary>Answer 408 and close (Portico's own head timeout, when the profile sets none).</summary>
    Answer,

    /// <summary>NetScaler's RESET: a TCP reset.</summary>
    Reset,

    /// <summary>NetScaler's DROP: close without a word.</summary>
    Drop,
}

/// <summary>
/// The HTTP profile of a vserver as the engine applies it (<c>add ns httpProfile</c>, bound with
/// <c>-httpProfileName</c>): parsing limits, the head timeouts, what is refused, connection reuse.
/// </summary>
internal sealed record EngineProfile
{
    public static readonly EngineProfile Default = new();

    public HttpLimits Limits { get; init; } = HttpLimits.Default;

    /// <summary>The whole head must be in within this long (-reqTimeout, else 30 s).</summary>
    public TimeSpan HeadTimeout { get; init; } = Http1Connection.DefaultHeadTimeout;

    public HeadTimeoutAction HeadTimeoutAction { get; init; } = HeadTimeoutAction.Answer;

    /// <summary>No gap longer than this between the packets of an incomplete head (-incompHdrDelay).</summary>
    public TimeSpan HeadPacketGap { get; init; } = TimeSpan.FromMilliseconds(7000);

    /// <summary>-dropInvalReqs ENABLED: refuse by closing, without writing the 4xx.</summary>
    public bool DropInvalid { get; init; }

    /// <summary>-markConnReqInval ENABLED: CONNECT is a 400, not a 405.</summary>
    public bool ConnectInvalid { get; init; }

    /// <summary>-markTraceReqInval ENABLED: TRACE is a 400.</summary>
    public bool TraceInvalid { get; init; }

    /// <summary>-maxReq: requests per client connection (0: no limit).</summary>
    public int MaxRequests { get; init; }

    /// <summary>-passProtocolUpgrade: WebSocket and other upgrades reach the server.</summary>
    public bool PassUpgrade { get; init; } = true;

    /// <summary>-conMultiplex: server connections are reused across clients and requests.</summary>
    public bool ReuseServerConnections { get; init; } = true;

    /// <summary>How long an idle server connection is kept (-reusePoolTimeout; 0: Portico's default).</summary>
    public TimeSpan PoolIdleTimeout { get; init; } = MemberPool.IdleTimeout;

    /// <summary>-eTag and -expires: what responses' validators and expiry become; null keeps the ordinary path.</summary>
    public Validation.ValidatorPlan? Validators { get; init; }
}
