namespace Portico.Compression;

/// <summary>A content coding Portico writes (RFC 9110 section 8.4.1), in Portico's order of preference at equal q.</summary>
public enum ContentCoding
{
    /// <summary>The body as the member sent it.</summary>
    Identity,

    /// <summary><c>br</c> (RFC 7932).</summary>
    Brotli,

    /// <summary><c>zstd</c> (RFC 8878, RFC 9659).</summary>
    Zstd,

    /// <summary><c>gzip</c> (RFC 1952).</summary>
    Gzip,

    /// <summary><c>deflate</c>: the zlib format (RFC 1950), as HTTP means it.</summary>
    Deflate,
}

/// <summary>Which codings an action allows, as bits of <see cref="ContentCoding"/>.</summary>
[Flags]
public enum CodingSet
{
    None = 0,
    Brotli = 1 << ContentCoding.Brotli,
    Zstd = 1 << ContentCoding.Zstd,
    Gzip = 1 << ContentCoding.Gzip,
    Deflate = 1 << ContentCoding.Deflate,
    All = Brotli | Zstd | Gzip | Deflate,
}

public static class ContentCodings
{
    /// <summary>The token written in <c>Content-Encoding</c>.</summary>
    public static string Token(this ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => "br",
        ContentCoding.Zstd => "zstd",
        ContentCoding.Gzip => "gzip",
        ContentCoding.Deflate => "deflate",
        _ => "identity",
    };

    public static bool Contains(this CodingSet set, ContentCoding coding) => coding != ContentCoding.Identity && (set & (CodingSet)(1 << (int)coding)) != 0;
}
