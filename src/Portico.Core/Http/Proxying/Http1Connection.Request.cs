using System.Runtime.CompilerServices;
using Portico.Http.Parsing;
using Portico.Runtime;

namespace Portico.Http.Proxying;

internal sealed partial class Http1Connection
{
    private long _bodyRemaining;
    private bool _bodyComplete;
    private bool _headConsumed;

    private enum BodyRead
    {
        Ready,
        ClientGone,
        Invalid,
    }

    /// <summary>
    /// Reads the request body, up to <see cref="BodyBufferLimit"/>, before a member is chosen: a slow upload holds a
    /// client socket only, never a server connection, a <c>-maxClient</c> slot or LEASTCONNECTION's in-flight count.
    /// A chunked body is checked as it comes; an invalid one is refused before anything is forwarded.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<BodyRead> BufferBodyAsync(HttpVserver vserver)
    {
        _requestChunks = default;
        _headConsumed = false;
        _bodyComplete = _head.Framing == BodyFraming.None || _head.Framing == BodyFraming.ContentLength && _head.ContentLength == 0;
        if (_bodyComplete)
        {
            return BodyRead.Ready;
        }

        if (_head.ExpectContinue && _in.Count == _head.HeadLength)
        {
            // Portico reads the body before it chooses a member, so it answers the expectation itself.
            await WriteClientAsync(vserver, "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray()).ConfigureAwait(false);
        }

        var limits = vserver.Limits;
        if (_head.Framing == BodyFraming.ContentLength)
        {
            var want = (int)Math.Min(_head.ContentLength, BodyBufferLimit);
            while (_in.Count - _head.HeadLength < want)
            {
                if (!await ReadClientAsync(vserver, want - (_in.Count - _head.HeadLength)).ConfigureAwait(false))
                {
                    return BodyRead.ClientGone;
                }
            }

            return BodyRead.Ready;
        }

        // Chunked: a copy of the decoder walks ahead; the real one re-frames the same bytes when they are sent.
        var probe = _requestChunks;
        var position = _head.HeadLength;
        while (true)
        {
            var step = probe.Next(_in.Span[position..], limits, out var used, out _, out _);
            position += used;
            switch (step)
            {
                case ChunkStep.Done:
                    return BodyRead.Ready;
                case ChunkStep.Invalid:
                    _requestChunks = probe;
                    return BodyRead.Invalid;
                case ChunkStep.Data:
                    continue;
            }

            if (position - _head.HeadLength >= BodyBufferLimit)
            {
                return BodyRead.Ready;
            }

            if (!await ReadClientAsync(vserver, 4096).ConfigureAwait(false))
            {
                return BodyRead.ClientGone;
            }
        }
    }

    /// <summary>Reads more of the client's bytes; false at EOF (the client is gone).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReadClientAsync(HttpVserver vserver, int room)
    {
        SetDeadline(Deadlines.After(ClientTimeout));
        var n = await _in.ReadAsync(_client, Math.Max(room, 4096)).ConfigureAwait(false);
        if (n == 0)
        {
            return false;
        }

        Interlocked.Add(ref vserver.Runtime.Counters.BytesFromClients, n);
        return true;
    }

    /// <summary>
    /// Writes the request as the member gets it into <see cref="_out"/>: the request line in origin-form, the
    /// client's fields less the hop-by-hop ones and those Portico sets (X-Forwarded-For and -Proto replace the
    /// client's: a client's own is never trusted), the framing Portico chose, and the body bytes already read.
    /// </summary>
    private void ComposeRequest(HttpVserver vserver, ServiceRuntime member, bool perClient)
    {
        _out.Clear();
        var span = _in.Span;
        var cipHeader = member.Settings.ClientIpEnabled ? member.Settings.ClientIpHeader ?? vserver.ClientIpHeader : null;
        _held = vserver.Profile.Validators is null ? Held.None : HoldConditionals(vserver); // validators (Http1Connection.Validators.cs)
        if (_requestEdits is { } edits)
        {
            ComposeRewritten(edits, cipHeader);
        }
        else
        {
            ComposeLineAndFields(span, cipHeader);
        }

        ComposeTail(vserver, span, cipHeader, perClient);
    }

    /// <summary>The request line and the client's fields as they arrived (the path every request without rewrite takes).</summary>
    private void ComposeLineAndFields(ReadOnlySpan<byte> span, string? cipHeader)
    {
        _out.Append(span[_head.Method]);
        _out.Append(" "u8);
        var target = span[_head.PathAndQuery];
        if (_head.Form == TargetForm.Asterisk)
        {
            _out.Append("*"u8);
        }
        else
        {
            // Absolute-form becomes origin-form; an empty path is "/" (RFC 9112 section 3.2.1).
            _out.Append(target.IsEmpty || target[0] == (byte)'?' ? "/"u8 : default);
            _out.Append(target);
        }

        // The client's version: an HTTP/1.0 request stays one (the server then frames its answer for 1.0).
        _out.Append(_head.Minor == 0 ? " HTTP/1.0\r\n"u8 : " HTTP/1.1\r\n"u8);
        foreach (ref readonly var field in _head.Fields)
        {
            if (Forwarded(span, field, cipHeader) && (_held == Held.None || !IsHeld(span, field)))
            {
                _out.Append(span[field.Name]);
                _out.Append(": "u8);
                _out.Append(span[field.Value]);
                _out.Append("\r\n"u8);
            }
        }
    }

    /// <summary>A client field the member gets: not hop-by-hop, not one Portico sets itself.</summary>
    private static bool Forwarded(ReadOnlySpan<byte> span, in HeaderField field, string? cipHeader) =>
        !field.HopByHop && field.Kind is not (FieldKind.XForwardedFor or FieldKind.XForwardedProto)
        && (cipHeader is null || !System.Text.Ascii.EqualsIgnoreCase(span[field.Name], cipHeader));

    /// <summary>What Portico adds after the fields: forwarding fields, framing, upgrade or close, and the body read so far.</summary>
    private void ComposeTail(HttpVserver vserver, ReadOnlySpan<byte> span, string? cipHeader, bool perClient)
    {
        _out.Append("X-Forwarded-For: "u8);
        _out.AppendAscii(_connection.RemoteAddress);
        _out.Append(_connection.Tls is null ? "\r\nX-Forwarded-Proto: http\r\n"u8 : "\r\nX-Forwarded-Proto: https\r\n"u8);
        if (cipHeader is not null)
        {
            // NetScaler replaces the header, it does not append: the client's copy was left out above.
            _out.AppendAscii(cipHeader);
            _out.Append(": "u8);
            _out.AppendAscii(_connection.RemoteAddress);
            _out.Append("\r\n"u8);
        }

        if (_head.Framing == BodyFraming.ContentLength)
        {
            _out.Append("Content-Length: "u8);
            _out.AppendDecimal(_head.ContentLength);
            _out.Append("\r\n"u8);
        }
        else if (_head.Framing == BodyFraming.Chunked)
        {
            _out.Append("Transfer-Encoding: chunked\r\n"u8);
        }

        if (_head.Upgrade)
        {
            foreach (ref readonly var field in _head.Fields)
            {
                if (field.Kind == FieldKind.Upgrade)
                {
                    _out.Append("Upgrade: "u8);
                    _out.Append(span[field.Value]);
                    _out.Append("\r\n"u8);
                }
            }

            _out.Append("Connection: upgrade\r\n"u8);
        }
        else if (perClient)
        {
            // The connection names this client: it must not carry another request (PerClient members).
            _out.Append("Connection: close\r\n"u8);
        }

        if (_cache is { Active: true, Stale: { } stale })
        {
            // Integrated cache: a stale object is revalidated with its own validators.
            AppendCacheValidators(stale);
        }

        _out.Append("\r\n"u8);
        if (_bodyComplete)
        {
            // No body: the head stays in the input until the request ends, so a retry can compose it again.
            return;
        }

        AttachBody(vserver);
    }

    /// <summary>Moves the head out of the input and the body bytes already read into <see cref="_out"/>.</summary>
    private void AttachBody(HttpVserver vserver)
    {
        _in.Consume(_head.HeadLength);
        _headConsumed = true;
        if (_head.Framing == BodyFraming.ContentLength)
        {
            var take = (int)Math.Min(_head.ContentLength, _in.Count);
            _out.Append(_in.Span[..take]);
            _in.Consume(take);
            _bodyRemaining = _head.ContentLength - take;
            _bodyComplete = _bodyRemaining == 0;
            return;
        }

        var step = Framing.Transcode(ref _requestChunks, _in.Span, vserver.Limits, _out, rechunk: true, out var consumed);
        _in.Consume(consumed);
        _bodyComplete = step == ChunkStep.Done;
    }

    /// <summary>The head leaves the input once the request is over, when no body took it out before.</summary>
    private void ConsumeHead()
    {
        if (!_headConsumed)
        {
            _in.Consume(_head.HeadLength);
            _headConsumed = true;
        }
    }
}
