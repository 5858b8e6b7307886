using System.Runtime.CompilerServices;
using Portico.Http.Parsing;

namespace Portico.Http.Proxying;

internal sealed partial class Http1Connection
{
    private ChunkedDecoder _serverChunks;

    /// <summary>
    /// Writes the response head as the client gets it (the server's fields less the hop-by-hop ones, the framing
    /// Portico chose, the persistence cookie, <c>Connection: close</c> when this is the last response) with the body
    /// bytes already read, then streams the rest of the body.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Exchange> RelayResponseAsync(HttpVserver vserver, ServerConnection server, string? cookieToSet, TimeSpan timeout,
        Task<Exchange>? pump)
    {
        var member = server.Member;
        var response = server.Head;
        var input = server.Input;
        var oldClient = _head.Minor == 0;
        var framing = response.Framing;
        if (_cache is { Active: true, Stale: { } stale } && response.Status == 304)
        {
            // Integrated cache: the member's 304 to the cache's revalidation refreshes the object, which answers.
            return await CacheRefreshedAsync(vserver, server, stale).ConfigureAwait(false);
        }

        // An HTTP/1.0 client cannot read chunks: it gets the bare payload, ended by the close.
        var rechunk = !oldClient && framing is BodyFraming.Chunked or BodyFraming.CloseDelimited;
        var requestDone = pump is null || pump.IsCompletedSuccessfully && pump.Result.Outcome == Outcome.Done;
        var keepAlive = _head.KeepAlive && requestDone && !_stopping
            && !(oldClient && framing is BodyFraming.Chunked or BodyFraming.CloseDelimited)
            && (vserver.Profile.MaxRequests == 0 || _served < vserver.Profile.MaxRequests);
        switch (RewriteResponse(vserver, response, input, out var edits))
        {
            case Rewrite.RewriteVerdict.Reset:
                _client.Close(reset: true);
                return new Exchange(Outcome.ClientGone, member, "rewrite RESET") { Status = response.Status, ResponseStarted = true };
            case Rewrite.RewriteVerdict.Drop:
                return new Exchange(Outcome.ClientGone, member, "rewrite DROP") { Status = response.Status, ResponseStarted = true };
        }

        // Validators (Http1Connection.Validators.cs): -eTag and -expires of the profile; without them, no plan and today's path.
        _changes = vserver.Profile.Validators is { } plan ? Validate(plan, response, input.Span, answerable: pump is null) : null;
        if (_changes is { NotModified: true } notModified)
        {
            _changes = null;
            return await NotModifiedAsync(vserver, server, notModified, edits, keepAlive, cookieToSet, timeout).ConfigureAwait(false);
        }

        // Compression (cmp, Http1Connection.Compression.cs), after the validators' changes: a response it compresses
        // streams there (the head composed with those changes, then its ETag weakened); any other goes on below.
        if (_acceptEncoding.Present && CompressionFor(vserver, response, input) is { } compressor)
        {
            return await RelayCompressedAsync(vserver, server, cookieToSet, timeout, keepAlive, edits, compressor).ConfigureAwait(false);
        }

        ComposeResponseHead(vserver, response, input.Span, framing, rechunk, keepAlive, cookieToSet, edits);
        var headLength = _response.Length;
        if (_cache is { Active: true })
        {
            // Integrated cache: the head as composed (after rewrite and the validators) decides whether the response
            // is stored (a response Portico compresses is stored there, in RelayCompressedAsync).
            CacheBeginStore(vserver, response, input, framing, rechunk, headLength);
        }

        _changes = null;

        input.Consume(response.HeadLength);

        var remaining = framing == BodyFraming.ContentLength ? response.ContentLength : 0;
        var done = framing == BodyFraming.None;
        _serverChunks = default;
        if (framing == BodyFraming.ContentLength)
        {
            var take = (int)Math.Min(remaining, input.Count);
            _response.Append(input.Span[..take]);
            input.Consume(take);
            remaining -= take;
            done = remaining == 0;
        }
        else if (!done && !input.IsEmpty)
        {
            var step = AppendBody(vserver, input, framing, rechunk);
            if (step == ChunkStep.Invalid)
            {
                return new Exchange(Outcome.MemberFailed, member, "L7RSP invalid chunked body") { Status = 502 };
            }

            done = step == ChunkStep.Done;
        }

        var status = response.Status;
        var serverKeepAlive = response.KeepAlive && framing != BodyFraming.CloseDelimited;
        if (_cache is { Fill: not null })
        {
            CacheTee(vserver, _response.Written.Span[headLength..]); // integrated cache: the payload as sent
        }

        if (!await TryWriteClientAsync(vserver, _response.Written).ConfigureAwait(false))
        {
            return new Exchange(Outcome.ClientGone, member, null) { Status = status, ResponseStarted = true };
        }

        while (!done)
        {
            int n;
            try
            {
                server.SetDeadline(Deadlines.After(timeout));
                n = await input.ReadAsync(server.Wire, StreamRoom).ConfigureAwait(false);
            }
            catch (Exception e) when (IsConnectionError(e))
            {
                return Broke(member, status, server.TimedOut ? "L7TOUT response stalled" : $"L7RSP {Broken(e, server)} during the response");
            }

            if (n == 0)
            {
                if (framing != BodyFraming.CloseDelimited)
                {
                    return Broke(member, status, "L7RSP closed during the response");
                }

                if (rechunk && !await TryWriteClientAsync(vserver, "0\r\n\r\n"u8.ToArray()).ConfigureAwait(false))
                {
                    return new Exchange(Outcome.ClientGone, member, null) { Status = status, ResponseStarted = true };
                }

                break;
            }

            Interlocked.Add(ref member.Counters.BytesFromServer, n);
            ReadOnlyMemory<byte> send;
            if (framing == BodyFraming.ContentLength)
            {
                var take = (int)Math.Min(remaining, input.Count);
                send = input.Memory[..take];
                remaining -= take;
                done = remaining == 0;
            }
            else if (framing == BodyFraming.CloseDelimited && !rechunk)
            {
                send = input.Memory;
            }
            else
            {
                _response.Clear();
                var step = AppendBody(vserver, input, framing, rechunk);
                if (step == ChunkStep.Invalid)
                {
                    return Broke(member, status, "L7RSP invalid chunked body");
                }

                done = step == ChunkStep.Done;
                send = _response.Written;
            }

            if (_cache is { Fill: not null })
            {
                CacheTee(vserver, send.Span); // integrated cache: the payload as sent
            }

            if (!await TryWriteClientAsync(vserver, send).ConfigureAwait(false))
            {
                return new Exchange(Outcome.ClientGone, member, null) { Status = status, ResponseStarted = true };
            }

            input.Consume(framing == BodyFraming.ContentLength || framing == BodyFraming.CloseDelimited && !rechunk ? send.Length : 0);
        }

        return new Exchange(Outcome.Done, member, null)
        {
            Status = status,
            ResponseStarted = true,
            ClientKeepAlive = keepAlive,

            // Bytes after the end of the response are not an HTTP message this connection could explain.
            ServerReusable = serverKeepAlive && input.IsEmpty,
        };
    }

        /// <summary>Appends what the input holds of a chunked or close-delimited body to <see cref="_response"/>, consuming it.</summary>
    private ChunkStep AppendBody(HttpVserver vserver, InBuffer input, BodyFraming framing, bool rechunk)
    {
        if (framing == BodyFraming.CloseDelimited)
        {
            if (rechunk)
            {
                Framing.Chunk(input.Span, _response);
            }
            else
            {
                _response.Append(input.Span);
            }

            input.Consume(input.Count);
            return ChunkStep.NeedMore;
        }

        var step = Framing.Transcode(ref _serverChunks, input.Span, vserver.Limits, _response, rechunk, out var consumed);
        input.Consume(consumed);
        return step;
    }

    private static Exchange Broke(Runtime.ServiceRuntime member, int status, string reason) =>
        new(Outcome.ServerBroke, member, reason) { Status = status, ResponseStarted = true };

    private void ComposeResponseHead(HttpVserver vserver, ResponseHead response, ReadOnlySpan<byte> span, BodyFraming framing, bool rechunk, bool keepAlive, string? cookieToSet,
        Rewrite.HeadEdits? edits)
    {
        _response.Clear();
        _response.Append("HTTP/1.1 "u8);
        _response.AppendDecimal(response.Status);
        _response.Append(" "u8);
        _response.Append(span[response.Reason]);
        _response.Append("\r\n"u8);

        // HEAD and 304: the server's Content-Length describes the representation, not this message; it passes.
        var bodyless = framing == BodyFraming.None;
        if (edits is not null)
        {
            ComposeRewrittenFields(edits, response, span, bodyless);
        }
        else if (_changes is { } changes)
        {
            ComposeChangedFields(changes, response, span, bodyless); // validators
        }

        foreach (ref readonly var field in edits is null && _changes is null ? response.Fields : default)
        {
            if (field.HopByHop && !(bodyless && field.Kind is FieldKind.ContentLength or FieldKind.TransferEncoding))
            {
                continue;
            }

            _response.Append(span[field.Name]);
            _response.Append(": "u8);
            _response.Append(span[field.Value]);
            _response.Append("\r\n"u8);
        }

        if (framing == BodyFraming.ContentLength)
        {
            _response.Append("Content-Length: "u8);
            _response.AppendDecimal(response.ContentLength);
            _response.Append("\r\n"u8);
        }
        else if (rechunk)
        {
            _response.Append("Transfer-Encoding: chunked\r\n"u8);
        }

        if (cookieToSet is not null)
        {
            _response.Append("Set-Cookie: "u8);
            _response.AppendAscii(vserver.PersistenceCookie(cookieToSet, _services.Time));
            _response.Append("\r\n"u8);
        }

        _response.Append(!keepAlive ? "Connection: close\r\n\r\n"u8 : _head.Minor == 0 ? "Connection: keep-alive\r\n\r\n"u8 : "\r\n"u8);
    }
}
