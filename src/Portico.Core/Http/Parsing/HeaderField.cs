namespace Portico.Http.Parsing;

/// <summary>One field line of a head, as ranges into the parsed buffer.</summary>
public struct HeaderField
{
    /// <summary>The field name as received (case kept).</summary>
    public Range Name;

    /// <summary>The field value without the OWS around it (may be empty).</summary>
    public Range Value;

    public FieldKind Kind;

    /// <summary>
    /// True for Connection, Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Content-Length, Upgrade,
    /// Expect, and every field whose name a Connection field lists: the proxy writes framing and those itself
    /// (RFC 9110 §7.6.1), so it must not copy them.
    /// </summary>
    public bool HopByHop;
}
