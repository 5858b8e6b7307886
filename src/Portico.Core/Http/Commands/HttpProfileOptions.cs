using Portico.CommandLanguage;
using Portico.Http.Profiles;
using Portico.Validation;

namespace Portico.Http.Commands;

/// <summary>
/// The options of <c>ns httpProfile</c> the HTTP/1.1 engine acts on, with NetScaler's ranges and defaults,
/// in the order <c>save config</c> and <c>show</c> write them.
/// </summary>
internal static class HttpProfileOptions
{
    public const string ReqTimeoutAction = "reqTimeoutAction";

    /// <summary>RESET, DROP, or the name of a responder action (kept; Portico has none, so it answers 408).</summary>
    private static readonly ValueParser TimeoutAction = words =>
    {
        Values.ExpectCount(words, 1, 1);
        var word = words[0].Text;
        return word.Equals("RESET", StringComparison.OrdinalIgnoreCase) ? "RESET"
            : word.Equals("DROP", StringComparison.OrdinalIgnoreCase) ? "DROP"
            : (string)Values.Name(words);
    };

    /// <summary>KEEP, STRIP or NORMALIZE, as the canonical upper-case word.</summary>
    private static readonly ValueParser ETagWord = words =>
    {
        Values.ExpectCount(words, 1, 1);
        return Enum.TryParse<ETagMode>(words[0].Text, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !char.IsAsciiDigit(words[0].Text[0])
            ? mode.ToString().ToUpperInvariant()
            : throw new ValueException(0, "expected KEEP, STRIP or NORMALIZE");
    };

    /// <summary>type=lifetime entries, checked whole when the line is read.</summary>
    private static readonly ValueParser ExpiryText = words =>
    {
        Values.ExpectCount(words, 1, 1);
        try
        {
            return ExpiryRules.Parse(words[0].Text).Text;
        }
        catch (FormatException e)
        {
            throw new ValueException(0, e.Message);
        }
    };

    public static IReadOnlyList<HttpProfileOption> All { get; } =
    [
        Switch("dropInvalReqs", "ENABLED: a refused request closes the connection without its 4xx", p => p.DropInvalidRequests, (p, v) => p with { DropInvalidRequests = v },
            p => p.DropInvalidRequests ? "a refused request closes the connection, nothing written" : "a refused request gets its 4xx, then the connection closes"),
        Switch("markHttp09Inval", "mark HTTP/0.9 requests invalid (Portico refuses them either way)", p => p.MarkHttp09Invalid, (p, v) => p with { MarkHttp09Invalid = v },
            _ => "HTTP/0.9 requests are always refused (400)"),
        Switch("markConnReqInval", "ENABLED: CONNECT gets 400 (else 405)", p => p.MarkConnectInvalid, (p, v) => p with { MarkConnectInvalid = v },
            p => p.MarkConnectInvalid ? "CONNECT gets 400" : "CONNECT gets 405 with Allow"),
        Switch("markTraceReqInval", "ENABLED: TRACE gets 400 (else it is forwarded)", p => p.MarkTraceInvalid, (p, v) => p with { MarkTraceInvalid = v },
            p => p.MarkTraceInvalid ? "TRACE gets 400" : "TRACE is forwarded"),
        Switch("conMultiplex", "reuse server connections across client connections (default ENABLED)", p => p.ConnectionMultiplexing, (p, v) => p with { ConnectionMultiplexing = v },
            p => p.ConnectionMultiplexing ? "server connections are reused across clients" : "a server connection serves one client connection"),
        Number("maxReusePool", 0, 360_000, "idle server connections kept per server (0: no limit)", p => p.MaxReusePool, (p, v) => p with { MaxReusePool = (int)v },
            p => p.MaxReusePool == 0 ? "idle server connections per server: no limit" : "idle server connections per server"),
        Switch("dropExtraCRLF", "skip empty lines before a request line (default ENABLED)", p => p.DropExtraCrlf, (p, v) => p with { DropExtraCrlf = v },
            p => p.DropExtraCrlf ? "empty lines before a request line are skipped" : "empty lines before a request line are not skipped"),
        Number("incompHdrDelay", 1, 360_000, "ms allowed between the packets of a request head (default 7000)",
            p => (long)p.IncompleteHeaderDelay.TotalMilliseconds, (p, v) => p with { IncompleteHeaderDelay = TimeSpan.FromMilliseconds(v) },
            _ => "ms between the packets of a request head; then 408"),
        Switch("webSocket", "relay a WebSocket connection opaquely once the server accepts the upgrade", p => p.WebSocket, (p, v) => p with { WebSocket = v },
            p => p.WebSocket ? "a WebSocket upgrade becomes an opaque relay after its 101" : "upgrades follow -passProtocolUpgrade"),
        Number("reqTimeout", 0, 86_400, "seconds a request head may take (0: Portico's 30 s)",
            p => (long)p.RequestTimeout.TotalSeconds, (p, v) => p with { RequestTimeout = TimeSpan.FromSeconds(v) },
            p => p.RequestTimeout == TimeSpan.Zero ? $"s for a request head: 0, so Portico's {HttpProfile.DefaultHeadTimeout.TotalSeconds:0} s" : "s for a request head"),
        new(ReqTimeoutAction, TimeoutAction, "RESET (TCP reset) or DROP (silent close) when a head is late; else 408",
            p => p.RequestTimeoutResponder ?? p.RequestTimeoutAction switch
            {
                HttpRequestTimeoutAction.Reset => "RESET",
                HttpRequestTimeoutAction.Drop => "DROP",
                _ => null,
            },
            (p, v) => p with
            {
                RequestTimeoutAction = v switch { "RESET" => HttpRequestTimeoutAction.Reset, "DROP" => HttpRequestTimeoutAction.Drop, _ => HttpRequestTimeoutAction.Respond },
                RequestTimeoutResponder = v is string s and not ("RESET" or "DROP") ? s : null,
            },
            p => p.RequestTimeoutAction switch
            {
                HttpRequestTimeoutAction.Reset => "a late head: TCP reset",
                HttpRequestTimeoutAction.Drop => "a late head: the connection closes silently",
                _ when p.RequestTimeoutResponder is not null => "a late head: 408, then close (Portico has no responder actions)",
                _ => "a late head: 408, then close",
            }),
        Number("maxReq", 0, 65_534, "requests on one client connection (0: no limit)", p => p.MaxRequests, (p, v) => p with { MaxRequests = (int)v },
            p => p.MaxRequests == 0 ? "requests per client connection: no limit" : "requests per client connection; the last gets Connection: close"),
        Number("reusePoolTimeout", 0, 31_536_000, "seconds a server connection may stay idle in the reuse pool (0: no limit)",
            p => (long)p.ReusePoolTimeout.TotalSeconds, (p, v) => p with { ReusePoolTimeout = TimeSpan.FromSeconds(v) },
            p => p.ReusePoolTimeout == TimeSpan.Zero ? "s idle in the reuse pool: no limit" : "s idle in the reuse pool"),
        Number("maxHeaderLen", 2048, 61_440, "bytes of a request head: request line and header fields (default 24820)",
            p => p.MaxHeaderLength, (p, v) => p with { MaxHeaderLength = (int)v },
            _ => "bytes of a request head; more: 431 (414 in the request line)"),
        Number("httppipelinebuffsize", 131_072, 20_971_520, "bytes of pipelined requests read ahead (default 131072)",
            p => p.PipelineBufferSize, (p, v) => p with { PipelineBufferSize = (int)v },
            _ => "bytes of pipelined requests read ahead"),
        Switch("passProtocolUpgrade", "pass upgrade requests to the server (default ENABLED)", p => p.PassProtocolUpgrade, (p, v) => p with { PassProtocolUpgrade = v },
            p => p.PassProtocolUpgrade ? "upgrade requests go to the server" : "upgrade requests lose their Upgrade"),
        Number("maxHeaderFieldLen", 2048, 61_440, "bytes of one header field line (default 24820)",
            p => p.MaxHeaderFieldLength, (p, v) => p with { MaxHeaderFieldLength = (int)v },
            _ => "bytes of one header field line; more: 431"),
        new("eTag", ETagWord, "KEEP (default), STRIP (remove members' ETags) or NORMALIZE (one ETag per object from every member); STRIP and NORMALIZE answer If-None-Match themselves",
            p => p.ETag.ToString().ToUpperInvariant(), (p, v) => p with { ETag = Enum.Parse<ETagMode>((string)v!, ignoreCase: true) },
            p => p.ETag switch
            {
                ETagMode.Strip => "members' ETags are removed; conditional requests are answered by Portico (304)",
                ETagMode.Normalize => "one ETag per object from every member (Apache's inode dropped, else size and Last-Modified); conditional requests are answered by Portico (304)",
                _ => "members' ETags and conditional requests pass as they are",
            }),
        new("expires", ExpiryText, "Cache-Control max-age and Expires by media type: \"text/css=1y,image/*=30d,*/*=1h\"",
            p => p.Expires?.Text, (p, v) => p with { Expires = v is string s ? ExpiryRules.Parse(s) : null },
            p => p.Expires is null ? "no expiry fields are added" : "max-age and Expires on 2xx/301/304 responses of those types, unless no-store, private or a max-age is there"),
        new("comment", Values.Text, "free text", p => p.Comment, (p, v) => p with { Comment = (string?)v }, _ => ""),
    ];

    private static HttpProfileOption Switch(string name, string help, Func<HttpProfile, bool> get, Func<HttpProfile, bool, HttpProfile> set, Func<HttpProfile, string> effect) =>
        new(name, Values.EnabledDisabled, help, p => get(p), (p, v) => set(p, (bool)v!), effect);

    private static HttpProfileOption Number(string name, long min, long max, string help, Func<HttpProfile, long> get, Func<HttpProfile, long, HttpProfile> set, Func<HttpProfile, string> effect) =>
        new(name, Values.Int(min, max), help, p => get(p), (p, v) => set(p, (long)v!), effect);
}
