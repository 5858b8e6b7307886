namespace Portico.Http.Parsing;

/// <summary>
/// The strict HTTP/1.1 request-head parser (RFC 9112, issue #16 decision tables). It refuses, never repairs.
/// Stateless: every call parses from the start of the buffer, so the caller may call it again after each read;
/// the limits are checked on incomplete input, so the caller never needs more than <c>MaxHead</c> bytes buffered.
/// </summary>
public static class RequestParser
{
    /// <summary>Empty lines (CRLF) skipped before a request line (RFC 9112 §2.2; NetScaler -dropExtraCRLF).</summary>
    public const int MaxEmptyLines = 16;

    /// <summary>Parses the head at the start of <paramref name="buffer"/> into <paramref name="head"/>.</summary>
    public static ParseOutcome Parse(ReadOnlySpan<byte> buffer, HttpLimits limits, RequestHead head)
    {
        head.Reset();

        // Nothing beyond the first byte past the head limit is ever looked at.
        var view = buffer[..(int)Math.Min(buffer.Length, (long)limits.MaxHead + 1)];
        var pos = 0;
        for (var empty = 0; ; empty++)
        {
            if (pos + 1 >= view.Length)
            {
                if (pos < view.Length && view[pos] == Ascii.LF)
                {
                    return Fail(head, 400, ParseReasons.BareLf);
                }

                return view.Length > limits.MaxHead ? Fail(head, 431, ParseReasons.HeadTooLarge) : ParseOutcome.NeedMore;
            }

            if (view[pos] == Ascii.LF)
            {
                return Fail(head, 400, ParseReasons.BareLf);
            }

            if (view[pos] != Ascii.CR)
            {
                break;
            }

            if (view[pos + 1] != Ascii.LF)
            {
                return Fail(head, 400, ParseReasons.BareCr);
            }

            if (empty == MaxEmptyLines)
            {
                return Fail(head, 400, ParseReasons.TooManyEmptyLines);
            }

            pos += 2;
            if (pos > limits.MaxHead)
            {
                return Fail(head, 431, ParseReasons.HeadTooLarge);
            }
        }

        switch (HeadLines.Next(view, pos, limits.MaxRequestLine, limits.MaxHead, out var contentEnd, out var next))
        {
            case LineStatus.Incomplete:
                return ParseOutcome.NeedMore;
            case LineStatus.OverLine:
                return Fail(head, 414, ParseReasons.RequestLineTooLong);
            case LineStatus.OverHead:
                return Fail(head, 431, ParseReasons.HeadTooLarge);
            case LineStatus.BareLf:
                return Fail(head, 400, ParseReasons.BareLf);
        }

        var error = RequestLine.Parse(view, pos, contentEnd, head);
        if (error.Status != 0)
        {
            head.Error = error;
            return ParseOutcome.Invalid;
        }

        pos = next;
        var state = default(FieldState);
        var outcome = HeaderSection.Parse(view, ref pos, limits, head.Storage(limits.MaxFields), ref head.FieldCount,
            ref state, isRequest: true, out error);
        if (outcome != ParseOutcome.Complete)
        {
            head.Error = error;
            return outcome;
        }

        head.HeadLength = pos;
        error = Finish(view, head, ref state);
        if (error.Status != 0)
        {
            head.Error = error;
            return ParseOutcome.Invalid;
        }

        return ParseOutcome.Complete;
    }

    /// <summary>The rules that need the whole head: Host, framing, persistence, expectations.</summary>
    private static ParseError Finish(ReadOnlySpan<byte> view, RequestHead head, ref FieldState state)
    {
        if (head.Minor == 1 && !state.HostSeen)
        {
            return new ParseError(400, ParseReasons.MissingHost);
        }

        if (state.TransferEncodingSeen && head.Minor == 0)
        {
            return new ParseError(400, ParseReasons.TeInHttp10);
        }

        if (state.TransferEncodingSeen && state.ContentLengthSeen)
        {
            return new ParseError(400, ParseReasons.TeAndCl);
        }

        head.HasHost = state.HostSeen;
        head.Host = state.Host;
        if (head.Form is TargetForm.Absolute or TargetForm.Authority)
        {
            if (!state.HostSeen)
            {
                head.Host = head.Authority;
            }
            else
            {
                // CONNECT's port is required, so a Host without one is compared as if it had the same port.
                var authority = view[head.Authority];
                var defaultPort = head.SchemePort;
                if (head.Form == TargetForm.Authority && !Authority.TryParse(authority, out _, out defaultPort))
                {
                    return new ParseError(400, ParseReasons.ConnectNotAuthority);
                }

                if (!Authority.SameEndpoint(authority, view[state.Host], defaultPort))
                {
                    return new ParseError(400, ParseReasons.AuthorityMismatch);
                }
            }
        }

        head.Framing = state.TransferEncodingSeen ? BodyFraming.Chunked
            : state.ContentLengthSeen ? BodyFraming.ContentLength : BodyFraming.None;
        head.ContentLength = state.ContentLength;

        // HAProxy's default (h1-accept-payload-with-any-method off): an HTTP/1.0 body on these methods is refused.
        if (head.Minor == 0 && state.ContentLength > 0
            && head.KnownMethod is KnownMethod.Get or KnownMethod.Head or KnownMethod.Delete)
        {
            return new ParseError(413, ParseReasons.Http10BodyOnSafeMethod);
        }

        if (head.Minor == 1)
        {
            if (state.ExpectOther)
            {
                return new ParseError(417, ParseReasons.ExpectationFailed);
            }

            head.ExpectContinue = state.ExpectContinue;
        }

        head.KeepAlive = head.Minor == 1 ? !state.Close : state.KeepAlive && !state.Close;
        head.Upgrade = state.UpgradeField && state.UpgradeToken;
        return default;
    }

    private static ParseOutcome Fail(RequestHead head, int status, string reason)
    {
        head.Error = new ParseError(status, reason);
        return ParseOutcome.Invalid;
    }
}
