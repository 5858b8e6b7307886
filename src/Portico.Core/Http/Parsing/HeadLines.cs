namespace Portico.Http.Parsing;

/// <summary>How the next line of a head stands.</summary>
internal enum LineStatus
{
    /// <summary>Content, then CR LF.</summary>
    Complete,

    /// <summary>Content, then an LF without CR before it (400: row 2).</summary>
    BareLf,

    /// <summary>No LF yet and no limit passed.</summary>
    Incomplete,

    /// <summary>The line's own limit is passed (414 for the request line, 431 for a field line).</summary>
    OverLine,

    /// <summary>The whole head's limit is passed (431).</summary>
    OverHead,
}

/// <summary>
/// Splits a head into lines and applies the length limits, on complete and incomplete input alike.
/// A limit is "passed" at the first byte beyond it, so the answer depends only on the bytes up to that one: a
/// prefix of a message is refused for the same reason as the whole message, whatever the split (when both limits
/// are passed at the same byte, the head's wins). Callers scan a view cut at <c>MaxHead + 1</c> bytes, so nothing
/// past the limit is ever read.
/// </summary>
internal static class HeadLines
{
    public static LineStatus Next(ReadOnlySpan<byte> view, int start, int lineLimit, int maxHead, out int contentEnd, out int next)
    {
        var lf = view[start..].IndexOf(Ascii.LF);
        int end;
        var crBeforeLf = false;
        if (lf >= 0)
        {
            lf += start;
            end = lf + 1;
            crBeforeLf = lf > start && view[lf - 1] == Ascii.CR;
            contentEnd = crBeforeLf ? lf - 1 : lf;
        }
        else
        {
            end = view.Length;

            // A CR at the very end may be the start of the CRLF, so it is not yet counted as content.
            contentEnd = end > start && view[end - 1] == Ascii.CR ? end - 1 : end;
        }

        next = end;
        var lineCross = contentEnd - start > lineLimit ? (long)start + lineLimit : long.MaxValue;
        var headCross = end > maxHead ? maxHead : long.MaxValue;
        if (headCross != long.MaxValue && headCross <= lineCross)
        {
            return LineStatus.OverHead;
        }

        if (lineCross != long.MaxValue)
        {
            return LineStatus.OverLine;
        }

        return lf < 0 ? LineStatus.Incomplete : crBeforeLf ? LineStatus.Complete : LineStatus.BareLf;
    }
}
