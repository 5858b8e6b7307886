namespace Portico.Http.Parsing;

/// <summary>
/// The size limits of an HTTP/1 head and of a chunk-size line. The defaults are NetScaler's httpProfile defaults
/// (<c>-maxHeaderLen</c>, <c>-maxHeaderFieldLen</c>); the request-line, field-count and chunk-line limits have no
/// NetScaler option and are Portico's documented constants (docs: issue #16 rules, section 5).
/// </summary>
public sealed record HttpLimits
{
    /// <summary>Longest request line (or status line), CRLF excluded; over it a request gets 414.</summary>
    public int MaxRequestLine { get; init; } = 8192;

    /// <summary>Longest field line, CRLF excluded (<c>-maxHeaderFieldLen</c>); over it 431.</summary>
    public int MaxFieldLine { get; init; } = 24820;

    /// <summary>Longest head: skipped empty lines, start line, fields and every CRLF (<c>-maxHeaderLen</c>); over it 431.</summary>
    public int MaxHead { get; init; } = 24820;

    /// <summary>Most field lines in a head (and in a trailer section); one more gives 431.</summary>
    public int MaxFields { get; init; } = 100;

    /// <summary>Longest chunk-size line including its extensions, CRLF excluded; over it 400.</summary>
    public int MaxChunkLine { get; init; } = 4096;

    public static readonly HttpLimits Default = new();
}
