namespace Portico.Http.Parsing;

/// <summary>
/// <c>method SP request-target SP HTTP-version</c> exactly (RFC 9112 §3; issue #16 rows 4-8, 19-21): one SP
/// between the parts, no other whitespace, because lenient splitting is what request smuggling feeds on.
/// </summary>
internal static class RequestLine
{
    /// <summary>Longer methods get 501 (RFC 9112 §3: longer than any implemented method).</summary>
    public const int MaxMethod = 32;

    /// <summary>Parses <c>view[start..contentEnd)</c> into <paramref name="head"/>; Status 0 when valid.</summary>
    public static ParseError Parse(ReadOnlySpan<byte> view, int start, int contentEnd, RequestHead head)
    {
        var line = view[start..contentEnd];
        var methodLength = line.IndexOfAnyExcept(Ascii.TokenChars);
        if (methodLength <= 0 || line[methodLength] != Ascii.SP)
        {
            return Bad(line, methodLength <= 0 || Ascii.IsOws(line[methodLength]) || line[methodLength] == Ascii.CR
                ? ParseReasons.BadRequestLine : ParseReasons.BadMethod);
        }

        var rest = line[(methodLength + 1)..];
        var targetLength = rest.IndexOf(Ascii.SP);
        if (targetLength < 0)
        {
            // "GET /" is HTTP/0.9's request line (row 8).
            return Bad(line, ParseReasons.Http09);
        }

        var target = rest[..targetLength];
        if (target.IsEmpty)
        {
            return Bad(line, ParseReasons.BadRequestLine);
        }

        if (target.IndexOfAnyExcept(Ascii.TargetChars) >= 0)
        {
            return Bad(line, ParseReasons.BadTarget);
        }

        var version = rest[(targetLength + 1)..];
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || !Ascii.IsDigit(version[5]) || version[6] != '.'
            || !Ascii.IsDigit(version[7]))
        {
            return Bad(line, ParseReasons.BadVersion);
        }

        if (version[5] == '0')
        {
            return new ParseError(400, ParseReasons.Http09);
        }

        if (version[5] != '1')
        {
            return new ParseError(505, ParseReasons.UnsupportedVersion);
        }

        if (methodLength > MaxMethod)
        {
            return new ParseError(501, ParseReasons.MethodTooLong);
        }

        var targetStart = start + methodLength + 1;
        head.Method = new Range(start, start + methodLength);
        head.KnownMethod = Classify(line[..methodLength]);
        head.Target = new Range(targetStart, targetStart + targetLength);
        head.Minor = version[7] == '0' ? 0 : 1;
        return ParseTarget(target, targetStart, head);
    }

    private static ParseError ParseTarget(ReadOnlySpan<byte> target, int offset, RequestHead head)
    {
        var method = head.KnownMethod;
        if (target is [(byte)'*'])
        {
            head.Form = TargetForm.Asterisk;
            return method == KnownMethod.Options ? default : new ParseError(400, ParseReasons.AsteriskNotOptions);
        }

        if (target[0] == '/')
        {
            head.Form = TargetForm.Origin;
            head.PathAndQuery = head.Target;
            return method == KnownMethod.Connect ? new ParseError(400, ParseReasons.ConnectNotAuthority) : default;
        }

        if (method == KnownMethod.Connect)
        {
            // authority-form = uri-host ":" port, the port required (RFC 9112 §3.2.3).
            if (!Authority.TryParse(target, out _, out var port) || port < 0)
            {
                return new ParseError(400, ParseReasons.ConnectNotAuthority);
            }

            head.Form = TargetForm.Authority;
            head.Authority = head.Target;
            return default;
        }

        return ParseAbsolute(target, offset, head);
    }

    private static ParseError ParseAbsolute(ReadOnlySpan<byte> target, int offset, RequestHead head)
    {
        var colon = target.IndexOf((byte)':');
        if (colon <= 0 || !target[(colon + 1)..].StartsWith("//"u8))
        {
            return new ParseError(400, Authority.TryParse(target, out _, out _)
                ? ParseReasons.AuthorityNotConnect : ParseReasons.BadAbsoluteTarget);
        }

        // A gateway forwards http and https only; any other scheme names a resource Portico cannot serve.
        var scheme = target[..colon];
        var schemePort = Ascii.EqualsIgnoreCase(scheme, "http"u8) ? 80 : Ascii.EqualsIgnoreCase(scheme, "https"u8) ? 443 : 0;
        if (schemePort == 0)
        {
            return new ParseError(400, ParseReasons.BadAbsoluteTarget);
        }

        var authorityStart = colon + 3;
        var authorityLength = target[authorityStart..].IndexOfAny((byte)'/', (byte)'?');
        var authorityEnd = authorityLength < 0 ? target.Length : authorityStart + authorityLength;
        var authority = target[authorityStart..authorityEnd];
        if (authority.Contains((byte)'@'))
        {
            return new ParseError(400, ParseReasons.Userinfo);
        }

        if (!Authority.TryParse(authority, out _, out _))
        {
            return new ParseError(400, ParseReasons.BadAbsoluteTarget);
        }

        head.Form = TargetForm.Absolute;
        head.SchemePort = schemePort;
        head.Authority = new Range(offset + authorityStart, offset + authorityEnd);
        head.PathAndQuery = new Range(offset + authorityEnd, offset + target.Length);
        return default;
    }

    /// <summary>Methods are case-sensitive (RFC 9110 §9.1): "get" is a valid, unknown method.</summary>
    private static KnownMethod Classify(ReadOnlySpan<byte> m) => m.Length switch
    {
        3 => m.SequenceEqual("GET"u8) ? KnownMethod.Get : m.SequenceEqual("PUT"u8) ? KnownMethod.Put : KnownMethod.Other,
        4 => m.SequenceEqual("POST"u8) ? KnownMethod.Post : m.SequenceEqual("HEAD"u8) ? KnownMethod.Head : KnownMethod.Other,
        5 => m.SequenceEqual("PATCH"u8) ? KnownMethod.Patch : m.SequenceEqual("TRACE"u8) ? KnownMethod.Trace : KnownMethod.Other,
        6 => m.SequenceEqual("DELETE"u8) ? KnownMethod.Delete : KnownMethod.Other,
        7 => m.SequenceEqual("OPTIONS"u8) ? KnownMethod.Options : m.SequenceEqual("CONNECT"u8) ? KnownMethod.Connect : KnownMethod.Other,
        _ => KnownMethod.Other,
    };

    private static ParseError Bad(ReadOnlySpan<byte> line, string reason) =>
        new(400, line.Contains(Ascii.CR) ? ParseReasons.BareCr : reason);
}
