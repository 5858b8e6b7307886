using Portico.CommandLanguage;

namespace Portico.Http.Profiles;

/// <summary>
/// An HTTP profile (<c>add ns httpProfile</c>), as the HTTP/1.1 engine applies it to the client side of an
/// HTTP or SSL vserver: limits and strictness of request parsing, timeouts of the request head, and the
/// reuse of server connections. Every property defaults to NetScaler's default, so <c>new HttpProfile(name)</c>
/// is a profile added without options. The engine reads it with <see cref="HttpProfileSections"/>
/// (<c>config.HttpProfileOf(vserver)</c>); Portico's fixed limits, which have no NetScaler option, are the
/// constants below.
/// </summary>
/// <param name="Name">The profile's name (case-sensitive).</param>
public sealed record HttpProfile(string Name)
{
    /// <summary>Portico's limit on the request line (no NetScaler option): longer gets 414.</summary>
    public const int MaxRequestLineLength = 8192;

    /// <summary>Portico's limit on the number of header fields of a request (no NetScaler option): more gets 431.</summary>
    public const int MaxHeaderFields = 100;

    /// <summary>Portico's limit on a chunk-size line of a chunked body, extensions included (no NetScaler option): longer gets 400.</summary>
    public const int MaxChunkSizeLineLength = 4096;

    /// <summary>The time a request head may take when <see cref="RequestTimeout"/> is zero (no NetScaler option).</summary>
    public static readonly TimeSpan DefaultHeadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>nshttp_default_profile</c> with NetScaler's defaults: the profile of every HTTP and SSL vserver that
    /// names none, until <c>set ns httpProfile nshttp_default_profile</c> changes it.
    /// </summary>
    public static HttpProfile Default { get; } = new(DefaultName);

    /// <summary>
    /// <c>nshttp_default_strict_validation</c> as NetScaler ships it: invalid requests dropped, HTTP/0.9 and
    /// CONNECT requests invalid.
    /// </summary>
    public static HttpProfile StrictValidation { get; } = new(StrictValidationName)
    {
        DropInvalidRequests = true,
        MarkHttp09Invalid = true,
        MarkConnectInvalid = true,
    };

    public const string DefaultName = "nshttp_default_profile";

    public const string StrictValidationName = "nshttp_default_strict_validation";

    /// <summary>
    /// <c>-maxHeaderLen</c> (2048..61440, default 24820): bytes of the whole request head, request line and header
    /// fields; more gets 431 (414 while still in the request line).
    /// </summary>
    public int MaxHeaderLength { get; init; } = 24820;

    /// <summary><c>-maxHeaderFieldLen</c> (2048..61440, default 24820): bytes of one header field line; more gets 431.</summary>
    public int MaxHeaderFieldLength { get; init; } = 24820;

    /// <summary><c>-dropInvalReqs</c> (default DISABLED): a refused request closes the connection without the 4xx being written.</summary>
    public bool DropInvalidRequests { get; init; }

    /// <summary><c>-markConnReqInval</c> (default DISABLED): CONNECT gets 400 instead of 405.</summary>
    public bool MarkConnectInvalid { get; init; }

    /// <summary><c>-markTraceReqInval</c> (default DISABLED): TRACE gets 400 instead of being forwarded.</summary>
    public bool MarkTraceInvalid { get; init; }

    /// <summary>
    /// <c>-markHttp09Inval</c> (default DISABLED). Portico refuses HTTP/0.9 requests (400) whatever it says: the
    /// value is kept, saved and shown.
    /// </summary>
    public bool MarkHttp09Invalid { get; init; }

    /// <summary><c>-maxReq</c> (0..65534, default 0 = no limit): requests on one client connection; the last one is answered with <c>Connection: close</c>.</summary>
    public int MaxRequests { get; init; }

    /// <summary><c>-incompHdrDelay</c> (1..360000 ms, default 7000): the longest gap between the packets of a request head; then 408 and close.</summary>
    public TimeSpan IncompleteHeaderDelay { get; init; } = TimeSpan.FromMilliseconds(7000);

    /// <summary><c>-reqTimeout</c> (0..86400 s, default 0): the time a request head may take; zero means <see cref="DefaultHeadTimeout"/>.</summary>
    public TimeSpan RequestTimeout { get; init; }

    /// <summary><c>-reqTimeoutAction</c>: what a request head that took too long gets.</summary>
    public HttpRequestTimeoutAction RequestTimeoutAction { get; init; }

    /// <summary>
    /// The responder action <c>-reqTimeoutAction</c> names when it is neither RESET nor DROP (kept and saved;
    /// Portico has no responder, so <see cref="HttpRequestTimeoutAction.Respond"/> applies); null otherwise.
    /// </summary>
    public string? RequestTimeoutResponder { get; init; }

    /// <summary><c>-passProtocolUpgrade</c> (default ENABLED): upgrade requests (<c>Connection: upgrade</c>) go to the server; DISABLED strips them.</summary>
    public bool PassProtocolUpgrade { get; init; } = true;

    /// <summary><c>-webSocket</c> (default DISABLED): a WebSocket upgrade the server accepts (101) turns the connection into an opaque relay.</summary>
    public bool WebSocket { get; init; }

    /// <summary><c>-conMultiplex</c> (default ENABLED): server connections are reused across client connections.</summary>
    public bool ConnectionMultiplexing { get; init; } = true;

    /// <summary><c>-reusePoolTimeout</c> (0..31536000 s, default 0 = no limit): how long a server connection may stay idle in the reuse pool.</summary>
    public TimeSpan ReusePoolTimeout { get; init; }

    /// <summary><c>-maxReusePool</c> (0..360000, default 0 = no limit): idle server connections kept per server.</summary>
    public int MaxReusePool { get; init; }

    /// <summary><c>-dropExtraCRLF</c> (default ENABLED): empty lines before a request line are skipped.</summary>
    public bool DropExtraCrlf { get; init; } = true;

    /// <summary><c>-httppipelinebuffsize</c> (131072..20971520 bytes, default 131072): bytes of pipelined requests read ahead of the one being answered.</summary>
    public int PipelineBufferSize { get; init; } = 131072;

    /// <summary>
    /// <c>-eTag KEEP|STRIP|NORMALIZE</c> (Portico's, default KEEP): what the members' entity tags become, and whether
    /// Portico answers conditional GET and HEAD requests itself (docs/design/etags.md).
    /// </summary>
    public Validation.ETagMode ETag { get; init; }

    /// <summary><c>-expires "type=lifetime,..."</c> (Portico's): Cache-Control max-age and Expires by media type; null for none.</summary>
    public Validation.ExpiryRules? Expires { get; init; }

    /// <summary><c>-comment</c>: free text.</summary>
    public string? Comment { get; init; }

    /// <summary>NetScaler options kept and written back without effect (HTTP/2, HTTP/3...), as written.</summary>
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];

    /// <summary>The time the request head may take: <see cref="RequestTimeout"/>, or <see cref="DefaultHeadTimeout"/> when it is zero.</summary>
    public TimeSpan HeadTimeout => RequestTimeout > TimeSpan.Zero ? RequestTimeout : DefaultHeadTimeout;

    /// <summary>True for the profiles NetScaler and Portico have without <c>add ns httpProfile</c>.</summary>
    public bool IsBuiltIn => Name is DefaultName or StrictValidationName;
}
