namespace Portico.Http.Parsing;

/// <summary>
/// The strict HTTP/1.1 response-head parser: the same rules as requests (TE+CL, obs-fold, bad CL, bare CR/LF...),
/// and any violation makes the response Invalid with Status 502 (RFC 9112 §6.3 rule 5, §5.2: a proxy replaces an
/// ambiguous response with 502 rather than repairing it; issue #16 decision 3).
/// </summary>
public static class ResponseParser
{
    /// <param name="requestWasHead">A response to HEAD has no body whatever it says (RFC 9112 §6.3 rule 1).</param>
    public static ParseOutcome Parse(ReadOnlySpan<byte> buffer, HttpLimits limits, bool requestWasHead, ResponseHead head)
    {
        head.Reset();
        var view = buffer[..(int)Math.Min(buffer.Length, (long)limits.MaxHead + 1)];
        switch (HeadLines.Next(view, 0, limits.MaxRequestLine, limits.MaxHead, out var contentEnd, out var next))
        {
            case LineStatus.Incomplete:
                return ParseOutcome.NeedMore;
            case LineStatus.OverLine:
                return Fail(head, ParseReasons.StatusLineTooLong);
            case LineStatus.OverHead:
                return Fail(head, ParseReasons.HeadTooLarge);
            case LineStatus.BareLf:
                return Fail(head, ParseReasons.BareLf);
        }

        var reason = ParseStatusLine(view[..contentEnd], head);
        if (reason is not null)
        {
            return Fail(head, reason);
        }

        var pos = next;
        var state = default(FieldState);
        var outcome = HeaderSection.Parse(view, ref pos, limits, head.Storage(limits.MaxFields), ref head.FieldCount,
            ref state, isRequest: false, out var error);
        if (outcome == ParseOutcome.Invalid)
        {
            return Fail(head, error.Reason);
        }

        if (outcome == ParseOutcome.NeedMore)
        {
            return outcome;
        }

        head.HeadLength = pos;
        reason = Finish(head, requestWasHead, ref state);
        return reason is null ? ParseOutcome.Complete : Fail(head, reason);
    }

    /// <summary><c>HTTP/1.x SP 3DIGIT [SP reason]</c>; a missing SP before an empty reason is tolerated (unambiguous).</summary>
    private static string? ParseStatusLine(ReadOnlySpan<byte> line, ResponseHead head)
    {
        if (line.Length < 12 || !line.StartsWith("HTTP/"u8) || !Ascii.IsDigit(line[5]) || line[6] != '.'
            || !Ascii.IsDigit(line[7]) || line[8] != Ascii.SP || !Ascii.IsDigit(line[9]) || !Ascii.IsDigit(line[10])
            || !Ascii.IsDigit(line[11]) || (line.Length > 12 && line[12] != Ascii.SP))
        {
            return line.Contains(Ascii.CR) ? ParseReasons.BareCr : ParseReasons.BadStatusLine;
        }

        if (line[5] != '1')
        {
            return ParseReasons.UnsupportedVersion;
        }

        var status = ((line[9] - '0') * 100) + ((line[10] - '0') * 10) + (line[11] - '0');
        if (status is < 100 or > 599)
        {
            return ParseReasons.BadStatusCode;
        }

        if (line.Length > 13 && line[13..].IndexOfAny(Ascii.InvalidValueBytes) >= 0)
        {
            return ParseReasons.BadReason;
        }

        head.Minor = line[7] == '0' ? 0 : 1;
        head.Status = status;
        head.Reason = line.Length > 13 ? new Range(13, line.Length) : new Range(line.Length, line.Length);
        return null;
    }

    private static string? Finish(ResponseHead head, bool requestWasHead, ref FieldState state)
    {
        if (state.TransferEncodingSeen && head.Minor == 0)
        {
            return ParseReasons.TeInHttp10;
        }

        if (state.TransferEncodingSeen && state.ContentLengthSeen)
        {
            return ParseReasons.TeAndCl;
        }

        var status = head.Status;
        head.ContentLength = state.ContentLength;
        head.Informational = status is >= 100 and < 200 and not 101;
        head.Upgrade = status == 101 && state.UpgradeField && state.UpgradeToken;
        if (status is < 200 or 204)
        {
            // RFC 9110 §8.6 / 9112 §6.1: MUST NOT send CL or TE there. "Content-Length: 0" says nothing wrong
            // and is common, so it is let through (rules row 38); anything else is refused.
            if (state.TransferEncodingSeen || state.ContentLength != 0)
            {
                return ParseReasons.FramingOnNoBodyStatus;
            }

            head.Framing = BodyFraming.None;
        }
        else if (requestWasHead || status == 304)
        {
            head.Framing = BodyFraming.None;
        }
        else
        {
            head.Framing = state.TransferEncodingSeen ? BodyFraming.Chunked
                : state.ContentLengthSeen ? BodyFraming.ContentLength : BodyFraming.CloseDelimited;
        }

        head.KeepAlive = (head.Minor == 1 ? !state.Close : state.KeepAlive && !state.Close)
            && head.Framing != BodyFraming.CloseDelimited;
        return null;
    }

    private static ParseOutcome Fail(ResponseHead head, string reason)
    {
        head.Error = new ParseError(502, reason);
        return ParseOutcome.Invalid;
    }
}
