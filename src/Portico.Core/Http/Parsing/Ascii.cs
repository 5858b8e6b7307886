using System.Buffers;

namespace Portico.Http.Parsing;

/// <summary>
/// Byte classes of RFC 9110 §5.6 and small span helpers. Span scans use <see cref="SearchValues{T}"/> (vectorised);
/// the byte-at-a-time chunk decoder uses the 256-entry <see cref="IsToken(byte)"/> table.
/// </summary>
public static class Ascii
{
    public const byte CR = (byte)'\r';
    public const byte LF = (byte)'\n';
    public const byte SP = (byte)' ';
    public const byte HTAB = (byte)'\t';

    /// <summary>tchar (RFC 9110 §5.6.2): the bytes of a method, a field name or a transfer coding.</summary>
    public static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>
    /// CTLs other than HTAB (0x00-0x08, 0x0A-0x1F, 0x7F): never allowed in a field value, a reason phrase or a
    /// trailer (RFC 9110 §5.5 lets a recipient reject them; Portico does, issue #16 row 14). obs-text stays allowed.
    /// </summary>
    public static readonly SearchValues<byte> InvalidValueBytes = SearchValues.Create(BuildInvalidValueBytes());

    /// <summary>Bytes allowed in a request-target: 0x21-0x7E except '#' (no fragment, RFC 9112 §3.2; row 6).</summary>
    public static readonly SearchValues<byte> TargetChars = SearchValues.Create(BuildTargetChars());

    /// <summary>reg-name bytes (RFC 3986 §3.2.2: unreserved, sub-delims and '%' of pct-encoded).</summary>
    public static readonly SearchValues<byte> RegNameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=%"u8);

    /// <summary>Bytes inside an IP-literal's brackets (IPv6 and IPvFuture: hex, ':', '.', unreserved, sub-delims).</summary>
    public static readonly SearchValues<byte> IpLiteralChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:"u8);

    // After TokenChars: static initialisers run in text order.
    private static readonly bool[] TokenTable = BuildTokenTable();

    public static bool IsToken(byte b) => TokenTable[b];

    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>The value of a hex digit, or -1.</summary>
    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary>True when the whole span is one or more tchar.</summary>
    public static bool IsToken(ReadOnlySpan<byte> s) => s.Length > 0 && s.IndexOfAnyExcept(TokenChars) < 0;

    /// <summary>ASCII case-insensitive equality; a byte >= 0x80 equals only itself.</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> s, ReadOnlySpan<byte> constant) =>
        System.Text.Ascii.EqualsIgnoreCase(s, constant);

    /// <summary>The span without leading and trailing OWS (SP and HTAB only: VT, FF and CR are not OWS, row 15).</summary>
    public static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> s)
    {
        var start = 0;
        while (start < s.Length && IsOws(s[start]))
        {
            start++;
        }

        var end = s.Length;
        while (end > start && IsOws(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    public static bool IsOws(byte b) => b is SP or HTAB;

    private static bool[] BuildTokenTable()
    {
        var table = new bool[256];
        for (var b = 0; b < 256; b++)
        {
            table[b] = TokenChars.Contains((byte)b);
        }

        return table;
    }

    private static byte[] BuildInvalidValueBytes()
    {
        var bytes = new List<byte>();
        for (var b = 0; b < 0x20; b++)
        {
            if (b != HTAB)
            {
                bytes.Add((byte)b);
            }
        }

        bytes.Add(0x7F);
        return [.. bytes];
    }

    private static byte[] BuildTargetChars()
    {
        var bytes = new List<byte>();
        for (var b = 0x21; b <= 0x7E; b++)
        {
            if (b != '#')
            {
                bytes.Add((byte)b);
            }
        }

        return [.. bytes];
    }
}
