namespace Portico.Http.Parsing;

/// <summary>
/// The field lines of a head (or nothing but the empty line), shared by requests and responses. Strict: obs-fold,
/// whitespace before the colon, non-token names, CTLs in values and bare CR/LF are refused, never repaired
/// (issue #16 rows 2, 3, 9-16). The errors carry request statuses; the response parser turns them into 502.
/// </summary>
internal static class HeaderSection
{
    public static ParseOutcome Parse(ReadOnlySpan<byte> view, ref int pos, HttpLimits limits, HeaderField[] fields,
        ref int count, ref FieldState state, bool isRequest, out ParseError error)
    {
        while (true)
        {
            var status = HeadLines.Next(view, pos, limits.MaxFieldLine, limits.MaxHead, out var contentEnd, out var next);
            switch (status)
            {
                case LineStatus.Incomplete:
                    error = default;
                    return ParseOutcome.NeedMore;
                case LineStatus.OverLine:
                    return Fail(431, ParseReasons.FieldLineTooLong, out error);
                case LineStatus.OverHead:
                    return Fail(431, ParseReasons.HeadTooLarge, out error);
                case LineStatus.BareLf:
                    return Fail(400, ParseReasons.BareLf, out error);
            }

            if (contentEnd == pos)
            {
                pos = next;
                if (state.NamesOtherFields)
                {
                    MarkConnectionOptions(view, fields.AsSpan(0, count));
                }

                error = default;
                return ParseOutcome.Complete;
            }

            if (count >= limits.MaxFields)
            {
                return Fail(431, ParseReasons.TooManyFields, out error);
            }

            var line = view[pos..contentEnd];
            if (Ascii.IsOws(line[0]))
            {
                return Fail(400, ParseReasons.ObsFold, out error);
            }

            // Any non-token byte ends the name; it has to be the colon at once (RFC 9112 §5.1: no whitespace).
            var nameLength = line.IndexOfAnyExcept(Ascii.TokenChars);
            if (nameLength <= 0 || line[nameLength] != ':')
            {
                return Fail(400, line.Contains(Ascii.CR) ? ParseReasons.BareCr : ParseReasons.BadFieldName, out error);
            }

            var raw = line[(nameLength + 1)..];
            var bad = raw.IndexOfAny(Ascii.InvalidValueBytes);
            if (bad >= 0)
            {
                return Fail(400, raw[bad] == Ascii.CR ? ParseReasons.BareCr : ParseReasons.BadFieldValue, out error);
            }

            var valueStart = pos + nameLength + 1;
            var valueEnd = contentEnd;
            while (valueStart < valueEnd && Ascii.IsOws(view[valueStart]))
            {
                valueStart++;
            }

            while (valueEnd > valueStart && Ascii.IsOws(view[valueEnd - 1]))
            {
                valueEnd--;
            }

            var kind = FieldNames.Classify(line[..nameLength]);
            ref var field = ref fields[count++];
            field.Name = new Range(pos, pos + nameLength);
            field.Value = new Range(valueStart, valueEnd);
            field.Kind = kind;
            field.HopByHop = FieldNames.IsHopByHop(kind);
            if (kind != FieldKind.Other)
            {
                error = Apply(kind, view[valueStart..valueEnd], field.Value, ref state, isRequest);
                if (error.Status != 0)
                {
                    return ParseOutcome.Invalid;
                }
            }

            pos = next;
        }
    }

    private static ParseError Apply(FieldKind kind, ReadOnlySpan<byte> value, Range range, ref FieldState state, bool isRequest)
    {
        switch (kind)
        {
            case FieldKind.Host when isRequest:
                if (state.HostSeen)
                {
                    return new ParseError(400, ParseReasons.DuplicateHost);
                }

                state.HostSeen = true;
                state.Host = range;

                // An empty Host is what a client sends when the target has no authority (RFC 9110 §7.2).
                if (!value.IsEmpty && !Authority.TryParse(value, out _, out _))
                {
                    return new ParseError(400, ParseReasons.BadHost);
                }

                break;
            case FieldKind.ContentLength:
                if (state.ContentLengthSeen)
                {
                    return new ParseError(400, ParseReasons.DuplicateContentLength);
                }

                state.ContentLengthSeen = true;
                if (!FramingValues.TryParseContentLength(value, out state.ContentLength))
                {
                    return new ParseError(400, ParseReasons.BadContentLength);
                }

                break;
            case FieldKind.TransferEncoding:
                if (state.TransferEncodingSeen)
                {
                    return new ParseError(400, ParseReasons.DuplicateTransferEncoding);
                }

                state.TransferEncodingSeen = true;
                switch (FramingValues.ParseTransferEncoding(value))
                {
                    case TransferCoding.Malformed:
                        return new ParseError(400, ParseReasons.BadTransferEncoding);
                    case TransferCoding.NotFinalChunked:
                        return new ParseError(400, ParseReasons.NotFinalChunked);
                    case TransferCoding.OtherCoding:
                        return new ParseError(501, ParseReasons.UnsupportedCoding);
                }

                break;
            case FieldKind.Connection:
                return ApplyConnection(value, ref state);
            case FieldKind.Upgrade:
                state.UpgradeField = true;
                break;
            case FieldKind.Expect when isRequest:
                if (Ascii.EqualsIgnoreCase(value, "100-continue"u8))
                {
                    state.ExpectContinue = true;
                }
                else
                {
                    state.ExpectOther = true;
                }

                break;
        }

        return default;
    }

    private static ParseError ApplyConnection(ReadOnlySpan<byte> value, ref FieldState state)
    {
        var list = new TokenList(value);
        while (list.Next(out var option))
        {
            if (option.IsEmpty)
            {
                continue;
            }

            if (!Ascii.IsToken(option))
            {
                return new ParseError(400, ParseReasons.BadConnection);
            }

            if (Ascii.EqualsIgnoreCase(option, "close"u8))
            {
                state.Close = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8))
            {
                state.KeepAlive = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "upgrade"u8))
            {
                state.UpgradeToken = true;
            }
            else
            {
                // Removing Host or a framing field as "hop-by-hop" would change routing or framing (row 42).
                var kind = FieldNames.Classify(option);
                if (kind is FieldKind.Host or FieldKind.ContentLength or FieldKind.TransferEncoding)
                {
                    return new ParseError(400, ParseReasons.ConnectionNamesFraming);
                }

                state.NamesOtherFields = true;
            }
        }

        return default;
    }

    /// <summary>Marks every field a Connection option names as hop-by-hop; rare, so a second pass is cheap enough.</summary>
    private static void MarkConnectionOptions(ReadOnlySpan<byte> view, Span<HeaderField> fields)
    {
        foreach (var connection in fields)
        {
            if (connection.Kind != FieldKind.Connection)
            {
                continue;
            }

            var list = new TokenList(view[connection.Value]);
            while (list.Next(out var option))
            {
                if (option.IsEmpty)
                {
                    continue;
                }

                foreach (ref var field in fields)
                {
                    if (!field.HopByHop && Ascii.EqualsIgnoreCase(view[field.Name], option))
                    {
                        field.HopByHop = true;
                    }
                }
            }
        }
    }

    internal static ParseOutcome Fail(int status, string reason, out ParseError error)
    {
        error = new ParseError(status, reason);
        return ParseOutcome.Invalid;
    }
}
