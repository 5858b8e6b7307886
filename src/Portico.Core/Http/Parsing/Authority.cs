namespace Portico.Http.Parsing;

/// <summary>
/// <c>uri-host [":" port]</c> (RFC 9112 §3.2, RFC 3986 §3.2.2): the syntax of a Host value, of an absolute-form
/// authority and of a CONNECT target, and the comparison between them (row 19).
/// </summary>
internal static class Authority
{
    /// <summary>Validates an authority. <paramref name="port"/> is -1 when there is none or it is empty.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out int hostLength, out int port)
    {
        port = -1;
        hostLength = 0;
        if (s.IsEmpty)
        {
            return false;
        }

        int afterHost;
        if (s[0] == '[')
        {
            var close = s.IndexOf((byte)']');
            if (close < 2 || s[1..close].IndexOfAnyExcept(Ascii.IpLiteralChars) >= 0)
            {
                return false;
            }

            afterHost = close + 1;
        }
        else
        {
            var colon = s.IndexOf((byte)':');
            afterHost = colon < 0 ? s.Length : colon;
            if (afterHost == 0 || !IsRegName(s[..afterHost]))
            {
                return false;
            }
        }

        hostLength = afterHost;
        if (afterHost == s.Length)
        {
            return true;
        }

        if (s[afterHost] != ':')
        {
            return false;
        }

        return TryParsePort(s[(afterHost + 1)..], out port);
    }

    /// <summary>
    /// True when two valid authorities name the same endpoint: host compared case-insensitively, a missing or
    /// empty port equal to <paramref name="defaultPort"/> (RFC 9110 §4.2.3).
    /// </summary>
    public static bool SameEndpoint(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int defaultPort)
    {
        if (!TryParse(a, out var aHost, out var aPort) || !TryParse(b, out var bHost, out var bPort))
        {
            return false;
        }

        return Ascii.EqualsIgnoreCase(a[..aHost], b[..bHost])
            && (aPort < 0 ? defaultPort : aPort) == (bPort < 0 ? defaultPort : bPort);
    }

    private static bool IsRegName(ReadOnlySpan<byte> host)
    {
        if (host.IndexOfAnyExcept(Ascii.RegNameChars) >= 0)
        {
            return false;
        }

        for (var i = host.IndexOf((byte)'%'); i >= 0 && i < host.Length; i++)
        {
            if (host[i] == '%' && (i + 2 >= host.Length || Ascii.HexValue(host[i + 1]) < 0 || Ascii.HexValue(host[i + 2]) < 0))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParsePort(ReadOnlySpan<byte> digits, out int port)
    {
        port = -1;
        if (digits.IsEmpty)
        {
            return true;
        }

        if (digits.Length > 5)
        {
            return false;
        }

        var value = 0;
        foreach (var d in digits)
        {
            if (!Ascii.IsDigit(d))
            {
                return false;
            }

            value = (value * 10) + (d - '0');
        }

        port = value;
        return value <= 65535;
    }
}
