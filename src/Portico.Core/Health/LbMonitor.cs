using System.Collections.Immutable;
using Portico.CommandLanguage;

namespace Portico.Health;

/// <summary>
/// A health monitor (<c>add lb monitor</c>): what to probe, how often, and how many results change a
/// member's state. Defaults are NetScaler's: every 5 s, 2 s to answer, DOWN after 3 failures, UP after
/// 1 success, and a DOWN member probed again after 30 s.
/// </summary>
/// <param name="Interval">Time between the starts of two probes.</param>
/// <param name="ResponseTimeout">How long a probe may take; always less than <paramref name="Interval"/>.</param>
/// <param name="DownTime">How long to wait before probing a member that is DOWN.</param>
/// <param name="Retries">Consecutive failed probes that mark an UP member DOWN.</param>
/// <param name="SuccessRetries">Consecutive successful probes that mark a DOWN member UP.</param>
/// <param name="DestPort">Port to probe; 0 means the member's own port.</param>
/// <param name="HttpRequest">HTTP: method and path to request (<c>GET /health</c>); null means <c>HEAD /</c>.</param>
/// <param name="RespCodes">HTTP: status codes that mean UP; empty means 200.</param>
/// <param name="Send">ECV: what to send (for HTTP-ECV, the request: <c>GET /status</c>).</param>
/// <param name="Recv">ECV: what the reply must contain; null or empty accepts any reply.</param>
/// <param name="CustomHeaders">HTTP and HTTP-ECV: header lines added to the request.</param>
/// <param name="Secure">Probe over TLS (TCP-based types).</param>
/// <param name="Enabled">A disabled monitor does not probe and does not count toward a member's state.</param>
/// <param name="BuiltIn">One of NetScaler's built-in monitors (<c>tcp-default</c>, <c>ping</c>, <c>http</c>...).</param>
public sealed record LbMonitor(
    string Name,
    MonitorType Type,
    MonitorTime Interval,
    MonitorTime ResponseTimeout,
    MonitorTime DownTime,
    int Retries,
    int SuccessRetries,
    int DestPort,
    string? HttpRequest,
    ImmutableArray<StatusRange> RespCodes,
    string? Send,
    string? Recv,
    string? CustomHeaders,
    bool Secure,
    bool Enabled,
    bool BuiltIn,
    IReadOnlyList<KeptOption> Kept)
{
    public static readonly MonitorTime DefaultInterval = MonitorTime.Seconds(5);
    public static readonly MonitorTime DefaultResponseTimeout = MonitorTime.Seconds(2);
    public static readonly MonitorTime DefaultDownTime = MonitorTime.Seconds(30);
    public const int DefaultRetries = 3;
    public const int DefaultSuccessRetries = 1;

    /// <summary>A monitor of <paramref name="type"/> with NetScaler's defaults.</summary>
    public static LbMonitor Create(string name, MonitorType type, bool builtIn = false) => new(
        name, type, DefaultInterval, DefaultResponseTimeout, DefaultDownTime, DefaultRetries, DefaultSuccessRetries, 0,
        null, [], null, null, null, false, true, builtIn, []);

    /// <summary>The HTTP request line's method and target (<c>HEAD /</c> when none is set).</summary>
    public string EffectiveHttpRequest => HttpRequest ?? "HEAD /";

    /// <summary>True when <paramref name="status"/> means UP for an HTTP monitor.</summary>
    public bool Accepts(int status) => RespCodes.IsDefaultOrEmpty ? status == 200 : RespCodes.Any(r => r.Contains(status));

    /// <summary><c>200</c>, <c>200-299 302</c>: the codes as the operator writes them.</summary>
    public string RespCodesText => RespCodes.IsDefaultOrEmpty ? "200" : string.Join(' ', RespCodes);
}
