namespace Portico.Compression;

/// <summary>
/// A request's <c>Accept-Encoding</c> (RFC 9110 section 12.5.3), read strictly: <c>1#( codings [ weight ] )</c>
/// with <c>codings = token</c> and <c>weight = OWS ";" OWS "q=" qvalue</c>. A field that breaks the grammar,
/// names more than <see cref="MaxElements"/> codings or is longer than <see cref="MaxLength"/> is ignored whole:
/// the response then goes uncompressed, which every client can read. Only the q of the codings Portico writes,
/// of <c>identity</c> and of <c>*</c> are kept (in thousandths), so the result is a fixed-size value.
/// </summary>
public readonly struct AcceptEncoding
{
    /// <summary>Longest field value read; a longer one is ignored (browsers send under 50 bytes).</summary>
    public const int MaxLength = 1024;

    /// <summary>Most list elements read; more is ignored as a whole.</summary>
    public const int MaxElements = 32;

    // q per ContentCoding index (Identity at 0), -1 when not named; and the q of "*".
    private readonly short _identity, _brotli, _zstd, _gzip, _deflate, _star;

    private AcceptEncoding(short identity, short brotli, short zstd, short gzip, short deflate, short star)
    {
        _identity = identity;
        _brotli = brotli;
        _zstd = zstd;
        _gzip = gzip;
        _deflate = deflate;
        _star = star;
        Present = true;
    }

    /// <summary>The request had a valid Accept-Encoding (an empty one included: identity only).</summary>
    public bool Present { get; }

    /// <summary>No field, or one that was ignored: nothing is compressed.</summary>
    public static readonly AcceptEncoding None;

    /// <summary>The q (0..1000) the client gives <paramref name="coding"/>: its own, else <c>*</c>'s, else 0 (not acceptable).</summary>
    public int Quality(ContentCoding coding)
    {
        if (!Present)
        {
            return coding == ContentCoding.Identity ? 1000 : 0;
        }

        var own = coding switch
        {
            ContentCoding.Brotli => _brotli,
            ContentCoding.Zstd => _zstd,
            ContentCoding.Gzip => _gzip,
            ContentCoding.Deflate => _deflate,
            _ => _identity,
        };
        if (own >= 0)
        {
            return own;
        }

        // identity is acceptable unless excluded by name or by "*;q=0" (RFC 9110 section 12.5.3).
        return _star >= 0 ? _star : coding == ContentCoding.Identity ? 1000 : 0;
    }

    /// <summary>
    /// The coding to write among <paramref name="allowed"/>: the highest q above 0, ties broken by Portico's order
    /// (br, zstd, gzip, deflate); Identity when none is acceptable or the client prefers identity to all of them.
    /// </summary>
    public ContentCoding Choose(CodingSet allowed)
    {
        if (!Present)
        {
            return ContentCoding.Identity;
        }

        var best = ContentCoding.Identity;
        var bestQ = 0;
        for (var c = ContentCoding.Brotli; c <= ContentCoding.Deflate; c++)
        {
            if (allowed.Contains(c) && Quality(c) is var q && q > bestQ)
            {
                best = c;
                bestQ = q;
            }
        }

        // identity competes with its own q or "*"'s only when the client wrote one: unnamed, it is merely acceptable
        // (RFC 9110 section 12.5.3), and "gzip;q=0.5" alone still asks for gzip.
        var identity = _identity >= 0 ? _identity : _star >= 0 ? _star : 0;
        return bestQ > 0 && bestQ >= identity ? best : ContentCoding.Identity;
    }

    /// <summary>Parses one field value, or the values of several fields joined by commas.</summary>
    public static AcceptEncoding Parse(ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxLength)
        {
            return None;
        }

        short identity = -1, brotli = -1, zstd = -1, gzip = -1, deflate = -1, star = -1;
        var elements = 0;
        var i = 0;
        while (true)
        {
            SkipOws(value, ref i);
            if (i == value.Length)
            {
                break;
            }

            if (value[i] == (byte)',')
            {
                // Empty list elements are allowed and not counted (RFC 9110 section 5.6.1.2).
                i++;
                continue;
            }

            if (++elements > MaxElements)
            {
                return None;
            }

            var start = i;
            while (i < value.Length && IsTchar(value[i]))
            {
                i++;
            }

            if (i == start)
            {
                return None;
            }

            var name = value[start..i];
            short q = 1000;
            SkipOws(value, ref i);
            while (i < value.Length && value[i] == (byte)';')
            {
                i++;
                SkipOws(value, ref i);
                if (!ReadParameter(value, ref i, out var isQ, out var parsed))
                {
                    return None;
                }

                if (isQ)
                {
                    q = parsed;
                }

                SkipOws(value, ref i);
            }

            if (i < value.Length && value[i] != (byte)',')
            {
                return None;
            }

            // A coding named twice: the last one counts (RFC 9110 leaves it open; it is what browsers never send).
            if (Is(name, "gzip"u8) || Is(name, "x-gzip"u8))
            {
                gzip = q;
            }
            else if (Is(name, "br"u8))
            {
                brotli = q;
            }
            else if (Is(name, "zstd"u8))
            {
                zstd = q;
            }
            else if (Is(name, "deflate"u8))
            {
                deflate = q;
            }
            else if (Is(name, "identity"u8))
            {
                identity = q;
            }
            else if (name.Length == 1 && name[0] == (byte)'*')
            {
                star = q;
            }
        }

        return new AcceptEncoding(identity, brotli, zstd, gzip, deflate, star);
    }

    /// <summary>One <c>name=value</c> parameter; only <c>q</c> is understood, others (which no coding defines) are skipped if well formed.</summary>
    private static bool ReadParameter(ReadOnlySpan<byte> value, ref int i, out bool isQ, out short q)
    {
        isQ = false;
        q = 0;
        var start = i;
        while (i < value.Length && IsTchar(value[i]))
        {
            i++;
        }

        var name = value[start..i];
        SkipOws(value, ref i);
        if (name.IsEmpty || i >= value.Length || value[i] != (byte)'=')
        {
            return false;
        }

        i++;
        SkipOws(value, ref i);
        start = i;
        while (i < value.Length && IsTchar(value[i]))
        {
            i++;
        }

        var v = value[start..i];
        if (v.IsEmpty)
        {
            return false;
        }

        if (!(name.Length == 1 && (name[0] | 0x20) == (byte)'q'))
        {
            return true;
        }

        isQ = true;
        return TryQValue(v, out q);
    }

    /// <summary><c>qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )</c>, in thousandths.</summary>
    public static bool TryQValue(ReadOnlySpan<byte> v, out short q)
    {
        q = 0;
        if (v.IsEmpty || v.Length > 5 || v[0] is not ((byte)'0' or (byte)'1'))
        {
            return false;
        }

        var whole = v[0] == (byte)'1';
        if (v.Length == 1)
        {
            q = (short)(whole ? 1000 : 0);
            return true;
        }

        if (v[1] != (byte)'.')
        {
            return false;
        }

        var fraction = 0;
        var scale = 100;
        for (var k = 2; k < v.Length; k++)
        {
            var d = v[k] - '0';
            if (d is < 0 or > 9 || (whole && d != 0))
            {
                return false;
            }

            fraction += d * scale;
            scale /= 10;
        }

        q = (short)(whole ? 1000 : fraction);
        return true;
    }

    private static bool Is(ReadOnlySpan<byte> a, ReadOnlySpan<byte> lower)
    {
        if (a.Length != lower.Length)
        {
            return false;
        }

        for (var k = 0; k < a.Length; k++)
        {
            if ((a[k] is >= (byte)'A' and <= (byte)'Z' ? (byte)(a[k] | 0x20) : a[k]) != lower[k])
            {
                return false;
            }
        }

        return true;
    }

    private static void SkipOws(ReadOnlySpan<byte> value, ref int i)
    {
        while (i < value.Length && value[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }
    }

    /// <summary>RFC 9110 section 5.6.2's tchar.</summary>
    private static bool IsTchar(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'.'
            or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';
}
