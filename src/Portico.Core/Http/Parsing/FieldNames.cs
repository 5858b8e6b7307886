namespace Portico.Http.Parsing;

/// <summary>Maps a field name to its <see cref="FieldKind"/>: a switch on the length, then one or two compares.</summary>
internal static class FieldNames
{
    public static FieldKind Classify(ReadOnlySpan<byte> n) => n.Length switch
    {
        2 => Is(n, "te"u8) ? FieldKind.TE : FieldKind.Other,
        3 => Is(n, "via"u8) ? FieldKind.Via : FieldKind.Other,
        4 => Is(n, "host"u8) ? FieldKind.Host : Is(n, "date"u8) ? FieldKind.Date : FieldKind.Other,
        6 => Is(n, "cookie"u8) ? FieldKind.Cookie : Is(n, "expect"u8) ? FieldKind.Expect
            : Is(n, "server"u8) ? FieldKind.Server : FieldKind.Other,
        7 => Is(n, "upgrade"u8) ? FieldKind.Upgrade : Is(n, "trailer"u8) ? FieldKind.Trailer : FieldKind.Other,
        8 => Is(n, "location"u8) ? FieldKind.Location : FieldKind.Other,
        9 => Is(n, "forwarded"u8) ? FieldKind.Forwarded : FieldKind.Other,
        10 => Is(n, "connection"u8) ? FieldKind.Connection : Is(n, "keep-alive"u8) ? FieldKind.KeepAlive
            : Is(n, "set-cookie"u8) ? FieldKind.SetCookie : FieldKind.Other,
        12 => Is(n, "content-type"u8) ? FieldKind.ContentType : FieldKind.Other,
        14 => Is(n, "content-length"u8) ? FieldKind.ContentLength : FieldKind.Other,
        15 => Is(n, "x-forwarded-for"u8) ? FieldKind.XForwardedFor : FieldKind.Other,
        16 => Is(n, "proxy-connection"u8) ? FieldKind.ProxyConnection : FieldKind.Other,
        17 => Is(n, "transfer-encoding"u8) ? FieldKind.TransferEncoding
            : Is(n, "x-forwarded-proto"u8) ? FieldKind.XForwardedProto : FieldKind.Other,
        _ => FieldKind.Other,
    };

    /// <summary>The fields a proxy never copies (RFC 9110 §7.6.1, plus framing and Expect, which Portico writes itself).</summary>
    public static bool IsHopByHop(FieldKind kind) => kind is FieldKind.Connection or FieldKind.KeepAlive
        or FieldKind.ProxyConnection or FieldKind.TE or FieldKind.Trailer or FieldKind.TransferEncoding
        or FieldKind.ContentLength or FieldKind.Upgrade or FieldKind.Expect;

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lower) => Ascii.EqualsIgnoreCase(name, lower);
}
