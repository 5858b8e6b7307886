using Portico.CommandLanguage;

namespace Portico.Http.Commands;

/// <summary>
/// The options of NetScaler's <c>ns httpProfile</c> that the engine does not act on: kept as written, saved,
/// shown, each with a note. Most are features Portico lacks (HTTP/2 and HTTP/3 settings, gRPC, web logging);
/// a few name strictness Portico always applies, so one of their values is what Portico does anyway.
/// </summary>
internal static class HttpProfileKeptOptions
{
    /// <summary>Features Portico does not have: kept with the usual "kept but has no effect" note.</summary>
    public static readonly string[] NoEffect =
    [
        "cmpOnPush", "dropExtraData", "clientIpHdrExpr", "adptTimeout", "webLog", "persistentETag", "spdy",
        "http2", "http2Direct", "http2StrictCipher", "http2AltSvcFrame", "http2HeaderTableSize", "http2InitialWindowSize",
        "http2InitialConnWindowSize", "http2MaxConcurrentStreams", "http2MaxFrameSize", "http2MaxHeaderListSize",
        "http2MinSeverConn", "http2MaxPingFramesPerMin", "http2MaxSettingsFramesPerMin", "http2MaxResetFramesPerMin",
        "http2MaxEmptyFramesPerMin", "http2MaxRxResetFramesPerMin", "http2ExtendedConnect", "http2SmallWndTimeout",
        "http3", "http3MaxHeaderFieldSectionSize", "http3MaxHeaderTableSize", "http3MaxHeaderBlockedStreams",
        "http3WebTransport", "http3MinSeverConn", "altsvc", "altSvcValue", "rtspTunnel", "minReUsePool",
        "apdexCltRespTimeThreshold", "grpcHoldLimit", "grpcHoldTimeout", "grpcLengthDelimitation", "maxDuplicateHeaderFields",
    ];

    /// <summary>
    /// Strictness Portico applies whatever the profile says: the option → the value that matches it, and what
    /// Portico does. Declared as options (ENABLED|DISABLED is checked) and kept as written; the other value gets
    /// a note at once, and show ns httpProfile gives the behaviour for both.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, bool Matches, string Behaviour)> Fixed =
    [
        ("markRfc7230NonCompliantInval", true, "Portico always validates: a request that breaks RFC 9112 is refused"),
        ("markHTTPHeaderExtraWSError", true, "Portico always validates: whitespace before a header field's colon is refused (400)"),
        ("hostHeaderValidation", true, "Portico always validates the Host header (one, well-formed, the port a number)"),
        ("allowOnlyWordCharactersAndHyphen", false, "Portico always accepts any token character (RFC 9110) in header names"),
    ];

    /// <summary>The note for a kept option of <see cref="Fixed"/>, or null for one of <see cref="NoEffect"/>.</summary>
    public static string? Note(KeptOption option)
    {
        foreach (var (name, matches, behaviour) in Fixed)
        {
            if (name.Equals(option.Name, StringComparison.OrdinalIgnoreCase))
            {
                var enabled = option.Words.Count == 1 && option.Words[0].Equals("ENABLED", StringComparison.OrdinalIgnoreCase);
                return enabled == matches ? $"{option} is kept: {behaviour}" : $"{option} is kept but has no effect: {behaviour}";
            }
        }

        return null;
    }
}
