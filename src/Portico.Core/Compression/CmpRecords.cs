using Portico.CommandLanguage;

namespace Portico.Compression;

/// <summary><c>-cmpLevel</c>: NetScaler's three levels; what each means per coding is <see cref="CmpLevels"/>.</summary>
public enum CmpLevel
{
    Optimal,
    BestSpeed,
    BestCompression,
}

/// <summary>What a compression action (or a policy's built-in <c>-resAction</c>) does with a response.</summary>
public enum CmpType
{
    /// <summary><c>compress</c>: the coding the client prefers among br, zstd, gzip and deflate.</summary>
    Compress,

    /// <summary><c>gzip</c> only.</summary>
    Gzip,

    /// <summary><c>deflate</c> only.</summary>
    Deflate,

    /// <summary><c>nocompress</c>: the response passes as the member sent it (and evaluation ends).</summary>
    NoCompress,
}

/// <summary>
/// <c>set cmp parameter</c>: the global compression settings.
/// </summary>
/// <param name="MinResSize">Bodies smaller than this many bytes (by their Content-Length) pass uncompressed.</param>
/// <param name="BypassPct">Above this process CPU use, in percent, responses pass uncompressed; 100 never bypasses.</param>
/// <param name="AddVaryHeader">Add (or extend) <c>Vary: Accept-Encoding</c> on compressed responses (NetScaler's default: YES here, see docs).</param>
public sealed record CmpParameter(CmpLevel Level, long MinResSize, int BypassPct, bool AddVaryHeader)
{
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];

    public static readonly CmpParameter Default = new(CmpLevel.Optimal, 0, 100, true);

    public static readonly KeywordMap<CmpLevel> Levels = new(
        ("optimal", CmpLevel.Optimal),
        ("bestspeed", CmpLevel.BestSpeed),
        ("bestcompression", CmpLevel.BestCompression));
}

/// <summary><c>add cmp action NAME -cmpType T [-deltaType PERURL|PERPOLICY]</c>.</summary>
/// <param name="DeltaType">NetScaler's delta compression setting: kept and written back; Portico does no delta compression.</param>
public sealed record CmpAction(string Name, CmpType Type, string? DeltaType, string? Comment)
{
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];

    public static readonly KeywordMap<CmpType> Types = new(
        ("compress", CmpType.Compress),
        ("gzip", CmpType.Gzip),
        ("deflate", CmpType.Deflate),
        ("nocompress", CmpType.NoCompress));

    /// <summary>The actions every NetScaler has: a policy's <c>-resAction</c> may name them without adding one.</summary>
    public static readonly string[] BuiltIn = ["COMPRESS", "GZIP", "DEFLATE", "NOCOMPRESS"];
}

/// <summary><c>add cmp policy NAME -rule EXPR -resAction ACTION</c>.</summary>
public sealed record CmpPolicy(string Name, string Rule, string ResAction, string? Comment)
{
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];
}

/// <summary>
/// The compression switch: <c>enable ns feature</c> lines that name CMP. The other features they name are kept and
/// written back with it (they have no switch in Portico).
/// </summary>
public sealed record CmpFeature(bool Enabled, IReadOnlyList<string> Words)
{
    public static readonly CmpFeature Off = new(false, []);
}

/// <summary>NetScaler's three levels in each coding's own scale.</summary>
public static class CmpLevels
{
    /// <summary>zlib level (gzip, deflate): optimal is zlib's own default 6, as nginx's <c>gzip_comp_level 6</c>.</summary>
    public static int Zlib(CmpLevel level) => level switch { CmpLevel.BestSpeed => 1, CmpLevel.BestCompression => 9, _ => 6 };

    /// <summary>Brotli quality: 11 is too slow for a live stream; 9 is the best a proxy can sustain.</summary>
    public static int Brotli(CmpLevel level) => level switch { CmpLevel.BestSpeed => 1, CmpLevel.BestCompression => 9, _ => 5 };

    /// <summary>zstd level: 3 is zstd's default; 19 keeps the window within RFC 9659's 8 MiB.</summary>
    public static int Zstd(CmpLevel level) => level switch { CmpLevel.BestSpeed => 1, CmpLevel.BestCompression => 19, _ => 3 };
}
