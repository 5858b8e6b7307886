namespace Portico.Http.Parsing;

/// <summary>What a Transfer-Encoding value means for framing (issue #16 rows 24-27).</summary>
internal enum TransferCoding
{
    /// <summary>Exactly one <c>chunked</c>: the only value Portico accepts.</summary>
    Chunked,

    /// <summary>Empty, an empty list member, a parameter, quotes, or chunked twice: 400.</summary>
    Malformed,

    /// <summary>A valid list whose final coding is not chunked: 400 (RFC 9112 §6.3 rule 4 MUST).</summary>
    NotFinalChunked,

    /// <summary>Valid codings ending in one chunked (<c>gzip, chunked</c>): 501 (RFC 9112 §6.1 SHOULD).</summary>
    OtherCoding,
}

/// <summary>The strict grammars of the framing fields (Content-Length, Transfer-Encoding).</summary>
internal static class FramingValues
{
    /// <summary>Above this a length is refused (2^62: no overflow anywhere a length is added to a position).</summary>
    public const long MaxContentLength = 1L << 62;

    /// <summary>
    /// Content-Length = 1*DIGIT (RFC 9110 §8.6). No sign, no hex, no list (so <c>5, 5</c> is refused too: the
    /// lead's decision), no inner whitespace. Leading zeros are accepted: Portico re-serialises the number.
    /// </summary>
    public static bool TryParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (!Ascii.IsDigit(b))
            {
                return false;
            }

            // Checked before the multiplication, so the value can never wrap (RFC 9110 §8.6: prevent overflow).
            if (length > (MaxContentLength - (b - '0')) / 10)
            {
                return false;
            }

            length = (length * 10) + (b - '0');
        }

        return true;
    }

    public static TransferCoding ParseTransferEncoding(ReadOnlySpan<byte> value)
    {
        if (Ascii.EqualsIgnoreCase(value, "chunked"u8))
        {
            return TransferCoding.Chunked;
        }

        if (value.IsEmpty)
        {
            return TransferCoding.Malformed;
        }

        var chunked = 0;
        var lastIsChunked = false;
        var list = new TokenList(value);
        while (list.Next(out var coding))
        {
            // A parameter (';'), quotes or an empty member are never a plain token: chunked takes no parameters
            // (RFC 9112 §7.1) and Portico implements no other coding, so there is nothing to read them for.
            if (!Ascii.IsToken(coding))
            {
                return TransferCoding.Malformed;
            }

            lastIsChunked = Ascii.EqualsIgnoreCase(coding, "chunked"u8);
            if (lastIsChunked && ++chunked > 1)
            {
                return TransferCoding.Malformed;
            }
        }

        return lastIsChunked ? TransferCoding.OtherCoding : TransferCoding.NotFinalChunked;
    }
}
