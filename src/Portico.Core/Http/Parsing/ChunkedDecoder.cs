namespace Portico.Http.Parsing;

/// <summary>
/// Incremental decoder of the chunked transfer coding (RFC 9112 §7.1), strict (issue #16 rows 33-36): a byte
/// state machine for the framing, so any split of the input gives the same result, and bulk runs for payload.
/// Extensions are validated (token / quoted-string) and then forgotten, and so are trailers (validated like
/// header fields): the engine re-emits chunks without either, so no server's extension parser is ever exercised.
/// A mutable struct: keep it in a field and call it through that field, never through a copy.
/// </summary>
public struct ChunkedDecoder
{
    /// <summary>15 hex digits: under 2^60, so a size never overflows a long.</summary>
    public const int MaxSizeDigits = 15;

    private State _state;
    private long _size;
    private int _digits;
    private int _lineLength;
    private int _trailerBytes;
    private int _trailerFields;

    private enum State : byte
    {
        Size, SizeDigits, SizeBws, ExtStart, ExtName, ExtNameBws, ExtValueStart, ExtToken, ExtQuoted, ExtQuotedPair,
        ExtAfterQuoted, LineLf, Data, DataCr, DataLf, TrailerStart, TrailerName, TrailerValue, TrailerLf, FinalLf,
        Done, Invalid,
    }

    /// <summary>Why the body was refused (400; the engine answers 502 instead for a response body).</summary>
    public ParseError Error { get; private set; }

    /// <summary>Payload bytes left in the current chunk.</summary>
    public readonly long Remaining => _state == State.Data ? _size : 0;

    public void Reset() => this = default;

    /// <summary>
    /// Marks <paramref name="count"/> payload bytes of the current chunk as handled outside <see cref="Next"/> (the
    /// engine copied them straight through); at most <see cref="Remaining"/>.
    /// </summary>
    public void Skip(long count)
    {
        if (_state != State.Data || count < 0 || count > _size)
        {
            throw new ArgumentOutOfRangeException(nameof(count), "more than the payload left in the chunk");
        }

        _size -= count;
        if (_size == 0)
        {
            _state = State.DataCr;
        }
    }

    /// <summary>
    /// Consumes framing and at most one run of payload. Data: <c>input[dataStart..dataStart+dataLength)</c> is
    /// payload and <paramref name="consumed"/> ends right after it. NeedMore: all of the input was consumed.
    /// Done: <paramref name="consumed"/> ends right after the final CRLF. Invalid: see <see cref="Error"/>.
    /// </summary>
    public ChunkStep Next(ReadOnlySpan<byte> input, HttpLimits limits, out int consumed, out int dataStart, out int dataLength)
    {
        dataStart = 0;
        dataLength = 0;
        consumed = 0;
        if (_state == State.Done)
        {
            return ChunkStep.Done;
        }

        if (_state == State.Invalid)
        {
            return ChunkStep.Invalid;
        }

        for (var i = 0; i < input.Length; i++)
        {
            if (_state == State.Data)
            {
                var run = (int)Math.Min(_size, input.Length - i);
                _size -= run;
                if (_size == 0)
                {
                    _state = State.DataCr;
                }

                dataStart = i;
                dataLength = run;
                consumed = i + run;
                return ChunkStep.Data;
            }

            var b = input[i];
            var reason = _state switch
            {
                <= State.LineLf => SizeLine(b, limits),
                <= State.DataLf => AfterData(b),
                _ => Trailer(b, limits),
            };
            if (reason is not null)
            {
                _state = State.Invalid;
                Error = new ParseError(reason == ParseReasons.TrailerTooLarge ? 431 : 400, reason);
                consumed = i;
                return ChunkStep.Invalid;
            }

            if (_state == State.Done)
            {
                consumed = i + 1;
                return ChunkStep.Done;
            }
        }

        consumed = input.Length;
        return ChunkStep.NeedMore;
    }

    /// <summary><c>1*HEXDIG *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ) CRLF</c> (RFC 9112 §7.1, §7.1.1).</summary>
    private string? SizeLine(byte b, HttpLimits limits)
    {
        if (_state == State.LineLf)
        {
            if (b != Ascii.LF)
            {
                return ParseReasons.BareCr;
            }

            _state = _size == 0 ? State.TrailerStart : State.Data;
            return null;
        }

        if (b == Ascii.CR)
        {
            if (_state is State.SizeDigits or State.ExtName or State.ExtToken or State.ExtAfterQuoted)
            {
                _state = State.LineLf;
                return null;
            }

            return _state == State.Size ? ParseReasons.EmptyChunkSize : ParseReasons.BadChunkExtension;
        }

        if (++_lineLength > limits.MaxChunkLine)
        {
            return ParseReasons.ChunkLineTooLong;
        }

        var ows = Ascii.IsOws(b);
        switch (_state)
        {
            case State.Size:
            case State.SizeDigits:
                var hex = Ascii.HexValue(b);
                if (hex >= 0)
                {
                    // Leading zeros are not significant; the line limit bounds how many there can be.
                    if ((_size != 0 || hex != 0) && ++_digits > MaxSizeDigits)
                    {
                        return ParseReasons.ChunkSizeTooLarge;
                    }

                    _size = (_size << 4) | (uint)hex;
                    _state = State.SizeDigits;
                    return null;
                }

                if (_state == State.Size)
                {
                    return b == Ascii.LF ? ParseReasons.BareLf : ParseReasons.EmptyChunkSize;
                }

                return b == ';' ? Go(State.ExtStart) : ows ? Go(State.SizeBws) : LineError(b, ParseReasons.BadChunkLine);
            case State.SizeBws:
                // BWS is only allowed before ';' (or '='): "5 \r\n" is refused (row 33).
                return ows ? null : b == ';' ? Go(State.ExtStart) : LineError(b, ParseReasons.BadChunkLine);
            case State.ExtStart:
                return ows ? null : Ascii.IsToken(b) ? Go(State.ExtName) : LineError(b, ParseReasons.BadChunkExtension);
            case State.ExtName:
                return Ascii.IsToken(b) ? null : b == '=' ? Go(State.ExtValueStart) : b == ';' ? Go(State.ExtStart)
                    : ows ? Go(State.ExtNameBws) : LineError(b, ParseReasons.BadChunkExtension);
            case State.ExtNameBws:
                return ows ? null : b == '=' ? Go(State.ExtValueStart) : b == ';' ? Go(State.ExtStart)
                    : LineError(b, ParseReasons.BadChunkExtension);
            case State.ExtValueStart:
                return ows ? null : b == '"' ? Go(State.ExtQuoted) : Ascii.IsToken(b) ? Go(State.ExtToken)
                    : LineError(b, ParseReasons.BadChunkExtension);
            case State.ExtToken:
                return Ascii.IsToken(b) ? null : b == ';' ? Go(State.ExtStart) : ows ? Go(State.SizeBws)
                    : LineError(b, ParseReasons.BadChunkExtension);
            case State.ExtQuoted:
                // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (RFC 9110 §5.6.4).
                return b == '"' ? Go(State.ExtAfterQuoted) : b == '\\' ? Go(State.ExtQuotedPair)
                    : b == Ascii.HTAB || (b >= 0x20 && b != 0x7F) ? null : LineError(b, ParseReasons.BadChunkExtension);
            case State.ExtQuotedPair:
                return b == Ascii.HTAB || (b >= 0x20 && b != 0x7F) ? Go(State.ExtQuoted)
                    : LineError(b, ParseReasons.BadChunkExtension);
            default: // ExtAfterQuoted
                return b == ';' ? Go(State.ExtStart) : ows ? Go(State.SizeBws) : LineError(b, ParseReasons.BadChunkExtension);
        }
    }

    private string? AfterData(byte b)
    {
        if (_state == State.DataCr)
        {
            return b == Ascii.CR ? Go(State.DataLf) : ParseReasons.MissingChunkCrlf;
        }

        if (b != Ascii.LF)
        {
            return ParseReasons.MissingChunkCrlf;
        }

        _size = 0;
        _digits = 0;
        _lineLength = 0;
        _state = State.Size;
        return null;
    }

    /// <summary>Trailer fields: the header-field rules (token name, colon at once, no CTL but HTAB) and limits.</summary>
    private string? Trailer(byte b, HttpLimits limits)
    {
        if (++_trailerBytes > limits.MaxHead)
        {
            return ParseReasons.TrailerTooLarge;
        }

        switch (_state)
        {
            case State.TrailerStart:
                if (b == Ascii.CR)
                {
                    return Go(State.FinalLf);
                }

                if (!Ascii.IsToken(b))
                {
                    return b == Ascii.LF ? ParseReasons.BareLf : ParseReasons.BadTrailer;
                }

                if (++_trailerFields > limits.MaxFields)
                {
                    return ParseReasons.TrailerTooLarge;
                }

                _lineLength = 1;
                return Go(State.TrailerName);
            case State.TrailerName:
                if (++_lineLength > limits.MaxFieldLine)
                {
                    return ParseReasons.TrailerTooLarge;
                }

                return Ascii.IsToken(b) ? null : b == ':' ? Go(State.TrailerValue) : ParseReasons.BadTrailer;
            case State.TrailerValue:
                if (b == Ascii.CR)
                {
                    return Go(State.TrailerLf);
                }

                if (++_lineLength > limits.MaxFieldLine)
                {
                    return ParseReasons.TrailerTooLarge;
                }

                return Ascii.InvalidValueBytes.Contains(b) ? ParseReasons.BadTrailer : null;
            case State.TrailerLf:
                return b == Ascii.LF ? Go(State.TrailerStart) : ParseReasons.BareCr;
            default: // FinalLf
                return b == Ascii.LF ? Go(State.Done) : ParseReasons.BareCr;
        }
    }

    private string? Go(State next)
    {
        _state = next;
        return null;
    }

    private static string LineError(byte b, string reason) => b == Ascii.LF ? ParseReasons.BareLf : reason;
}
