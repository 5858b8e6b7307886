namespace Portico.Http.Parsing;

/// <summary>
/// A parsed request head: ranges into the buffer that was parsed, so it is only meaningful with that buffer.
/// One instance per connection, reused: <see cref="RequestParser.Parse"/> resets it, and the field array is
/// allocated once (again only if a larger <see cref="HttpLimits.MaxFields"/> comes along).
/// </summary>
public sealed class RequestHead
{
    private HeaderField[] _fields;

    public RequestHead()
        : this(HttpLimits.Default.MaxFields)
    {
    }

    public RequestHead(int maxFields) => _fields = new HeaderField[Math.Max(1, maxFields)];

    /// <summary>Bytes of the head in the buffer, including skipped empty lines and the final CRLF.</summary>
    public int HeadLength;

    public Range Method;
    public KnownMethod KnownMethod;
    public Range Target;
    public TargetForm Form;

    /// <summary>Origin-form: the target. Absolute-form: the path and query after the authority, possibly empty or
    /// starting with '?' (the engine then writes "/" before it). Authority and asterisk forms: empty.</summary>
    public Range PathAndQuery;

    /// <summary>Absolute-form and authority-form: the authority of the target; else empty.</summary>
    public Range Authority;

    /// <summary>0 or 1 (HTTP/1.2 to 1.9 are handled as 1.1, RFC 9110 §6.2).</summary>
    public int Minor;

    /// <summary>The Host field's value when <see cref="HasHost"/>; for an HTTP/1.0 absolute-form request without
    /// Host, the target's authority (so routing always has one); else empty.</summary>
    public Range Host;
    public bool HasHost;

    /// <summary>None, ContentLength (also for <c>Content-Length: 0</c>) or Chunked.</summary>
    public BodyFraming Framing;
    public long ContentLength;

    /// <summary>HTTP/1.1 unless <c>Connection: close</c>; HTTP/1.0 only with <c>Connection: keep-alive</c>.</summary>
    public bool KeepAlive;

    /// <summary><c>Expect: 100-continue</c> in an HTTP/1.1 request (HTTP/1.0 ones are ignored, RFC 9110 §10.1.1).</summary>
    public bool ExpectContinue;

    /// <summary>An Upgrade field and a Connection field listing "upgrade".</summary>
    public bool Upgrade;

    public ParseError Error;
    public int FieldCount;

    /// <summary>The default port of the absolute-form scheme (80 or 443), 0 otherwise.</summary>
    internal int SchemePort;

    public ReadOnlySpan<HeaderField> Fields => _fields.AsSpan(0, FieldCount);

    public void Reset()
    {
        HeadLength = 0;
        Method = default;
        KnownMethod = KnownMethod.Other;
        Target = default;
        Form = TargetForm.Origin;
        PathAndQuery = default;
        Authority = default;
        Minor = 0;
        Host = default;
        HasHost = false;
        Framing = BodyFraming.None;
        ContentLength = 0;
        KeepAlive = false;
        ExpectContinue = false;
        Upgrade = false;
        Error = default;
        FieldCount = 0;
        SchemePort = 0;
    }

    /// <summary>The value of the first field of <paramref name="kind"/>, or null.</summary>
    public Range? Field(ReadOnlySpan<byte> buffer, FieldKind kind) => HeadFields.Find(Fields, buffer, kind);

    /// <summary>The value of the first field named <paramref name="name"/> (case-insensitive), or null.</summary>
    public Range? Field(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> name) => HeadFields.Find(Fields, buffer, name);

    /// <summary>
    /// Finds the cookie <paramref name="name"/> (case-sensitive, RFC 6265 §5.4) in every Cookie field
    /// (<c>a=b; c=d</c>). The value is returned as sent, quotes included.
    /// </summary>
    public bool TryGetCookie(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> name, out Range value) =>
        HeadFields.TryGetCookie(Fields, buffer, name, out value);

    internal HeaderField[] Storage(int maxFields)
    {
        if (_fields.Length < maxFields)
        {
            _fields = new HeaderField[maxFields];
        }

        return _fields;
    }
}
