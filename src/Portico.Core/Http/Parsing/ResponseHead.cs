namespace Portico.Http.Parsing;

/// <summary>A parsed response head; reused per server connection like <see cref="RequestHead"/>.</summary>
public sealed class ResponseHead
{
    private HeaderField[] _fields;

    public ResponseHead()
        : this(HttpLimits.Default.MaxFields)
    {
    }

    public ResponseHead(int maxFields) => _fields = new HeaderField[Math.Max(1, maxFields)];

    /// <summary>Bytes of the head in the buffer, final CRLF included.</summary>
    public int HeadLength;
    public int Status;

    /// <summary>0 or 1 (HTTP/1.2 to 1.9 are handled as 1.1).</summary>
    public int Minor;
    public Range Reason;

    /// <summary>None for HEAD, 1xx, 204 and 304; else Chunked, ContentLength or CloseDelimited.</summary>
    public BodyFraming Framing;

    /// <summary>The Content-Length value, also when it does not frame a body (HEAD, 304): the engine may forward it.</summary>
    public long ContentLength;

    /// <summary>Whether the server connection may be reused: HTTP/1.1 unless <c>Connection: close</c>, HTTP/1.0 only
    /// with keep-alive, and never after a close-delimited body.</summary>
    public bool KeepAlive;

    /// <summary>1xx other than 101: skip it, another head follows.</summary>
    public bool Informational;

    /// <summary>A 101 with an Upgrade field and a Connection field listing "upgrade".</summary>
    public bool Upgrade;

    public ParseError Error;
    public int FieldCount;

    public ReadOnlySpan<HeaderField> Fields => _fields.AsSpan(0, FieldCount);

    public void Reset()
    {
        HeadLength = 0;
        Status = 0;
        Minor = 0;
        Reason = default;
        Framing = BodyFraming.None;
        ContentLength = 0;
        KeepAlive = false;
        Informational = false;
        Upgrade = false;
        Error = default;
        FieldCount = 0;
    }

    /// <summary>The value of the first field of <paramref name="kind"/>, or null.</summary>
    public Range? Field(ReadOnlySpan<byte> buffer, FieldKind kind) => HeadFields.Find(Fields, buffer, kind);

    /// <summary>The value of the first field named <paramref name="name"/> (case-insensitive), or null.</summary>
    public Range? Field(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> name) => HeadFields.Find(Fields, buffer, name);

    internal HeaderField[] Storage(int maxFields)
    {
        if (_fields.Length < maxFields)
        {
            _fields = new HeaderField[maxFields];
        }

        return _fields;
    }
}
