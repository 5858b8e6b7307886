using Microsoft.Extensions.Logging;
using Portico.Capture.Tap;
using Portico.ClientIp;
using Portico.Http.ProtocolErrors;
using Portico.Http.Requests;
using Portico.Relaying;

namespace Portico.Http.Proxying;

/// <summary>What every connection of the HTTP/1.1 engine shares: selection, server connections, policies, timeouts, logs.</summary>
internal sealed class ProxyServices(
    RequestSelection selection,
    ServerConnector servers,
    DeadlineSweeper deadlines,
    ProtocolErrorLog protocolErrors,
    ConnectionTaps taps,
    ClientIpOptions clientIp,
    RelayOptions relay,
    Responder.ResponderRuntime responder,
    Rewrite.RewriteRuntime rewrite,
    Logging.AccessLog accessLog,
    Caching.CacheRuntime cache,
    Caching.HttpDateClock dates,
    TimeProvider time,
    ILogger logger)
{
    public RequestSelection Selection { get; } = selection;

    public ServerConnector Servers { get; } = servers;

    public DeadlineSweeper Deadlines { get; } = deadlines;

    public ProtocolErrorLog ProtocolErrors { get; } = protocolErrors;

    public ConnectionTaps Taps { get; } = taps;

    public ClientIpOptions ClientIp { get; } = clientIp;

    /// <summary>How the byte relay of an upgraded connection moves bytes (the L4 relay's settings).</summary>
    public RelayOptions Relay { get; } = relay;

    /// <summary>The responder banks in force: asked once per request, skipped when nothing is bound.</summary>
    public Responder.ResponderRuntime Responder { get; } = responder;

    /// <summary>The rewrite banks in force, for request and response heads.</summary>
    public Rewrite.RewriteRuntime Rewrite { get; } = rewrite;

    /// <summary>The per-request access log (<c>--access-log</c>); off unless a file is named.</summary>
    public Logging.AccessLog AccessLog { get; } = accessLog;

    /// <summary>Compression (CMP) in force: one check per request when it is off.</summary>
    public Compression.CmpRuntime Compression { get; init; } = null!;

    /// <summary>The integrated cache: its policy banks (asked once per request, skipped when none is bound) and its store.</summary>
    public Caching.CacheRuntime Cache { get; } = cache;

    /// <summary>The Date line answers from the cache carry, formatted once a second.</summary>
    public Caching.HttpDateClock Dates { get; } = dates;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;
}
