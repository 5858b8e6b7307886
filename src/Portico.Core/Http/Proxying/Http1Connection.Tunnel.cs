using System.Buffers;
using Portico.Http.Parsing;
using Portico.Relaying;

namespace Portico.Http.Proxying;

internal sealed partial class Http1Connection
{
    // The byte relay of a plain tunnel, while it runs: the deadline timer asks it when it last moved a byte.
    private TcpRelay? _relay;

    /// <summary>
    /// After a <c>101 Switching Protocols</c> (WebSocket and other upgrades) the connection is no longer HTTP: bytes
    /// are relayed both ways until either side closes, the member reserved for the tunnel's life. When both sides are
    /// bare sockets the L4 relay takes them over (copy, then splice for bulk); through TLS or a capture tap the bytes
    /// are copied here. The idle limit is the client's and the server's timeouts, refreshed by traffic either way.
    /// </summary>
    private async ValueTask<Exchange> TunnelAsync(HttpVserver vserver, ServerConnection server, string? cookieToSet)
    {
        var member = server.Member;
        var response = server.Head;
        var input = server.Input;
        var span = input.Span;
        _response.Clear();
        _response.Append("HTTP/1.1 101 "u8);
        _response.Append(span[response.Reason]);
        _response.Append("\r\n"u8);
        foreach (ref readonly var field in response.Fields)
        {
            if (!field.HopByHop || field.Kind == FieldKind.Upgrade)
            {
                _response.Append(span[field.Name]);
                _response.Append(": "u8);
                _response.Append(span[field.Value]);
                _response.Append("\r\n"u8);
            }
        }

        if (cookieToSet is not null)
        {
            _response.Append("Set-Cookie: "u8);
            _response.AppendAscii(vserver.PersistenceCookie(cookieToSet, _services.Time));
            _response.Append("\r\n"u8);
        }

        _response.Append("Connection: upgrade\r\n\r\n"u8);
        input.Consume(response.HeadLength);
        _response.Append(input.Span);
        input.Consume(input.Count);
        if (!await TryWriteClientAsync(vserver, _response.Written).ConfigureAwait(false))
        {
            return new Exchange(Outcome.ClientGone, member, null) { Status = 101, ResponseStarted = true };
        }

        ConsumeHead();
        var timeout = ServerTimeout(member);
        if (_client.Bare && server.Wire.Bare)
        {
            await RelayAsync(vserver, server, timeout).ConfigureAwait(false);
            return new Exchange(Outcome.Upgraded, member, null) { Status = 101, ResponseStarted = true };
        }

        var up = CopyAsync(vserver, server, toServer: true, timeout);
        var down = CopyAsync(vserver, server, toServer: false, timeout);

        // Each direction passes its end on (a FIN for a FIN), so a half-closed tunnel drains as TCP would.
        await Task.WhenAll(up, down).ConfigureAwait(false);
        return new Exchange(Outcome.Upgraded, member, null) { Status = 101, ResponseStarted = true };
    }

    private async Task RelayAsync(HttpVserver vserver, ServerConnection server, TimeSpan timeout)
    {
        if (!_in.IsEmpty)
        {
            // What the client sent after its upgrade request, before the 101, belongs to the new protocol.
            await server.Wire.WriteAsync(_in.Memory).ConfigureAwait(false);
            Interlocked.Add(ref vserver.Runtime.Counters.BytesFromClients, _in.Count);
            Interlocked.Add(ref server.Member.Counters.BytesToServer, _in.Count);
            _in.Consume(_in.Count);
        }

        _in.Release();
        _response.Release();
        _out.Release();
        var idle = Math.Min(ClientTimeout.TotalMilliseconds, timeout > TimeSpan.Zero ? timeout.TotalMilliseconds : double.MaxValue);
        var options = _services.Relay;
        var relay = new TcpRelay(0, _client.Socket, server.Wire.Socket, vserver.Runtime.Counters, server.Member.Counters, options.BufferSize,
            (long)idle, options.Mode, options.SpliceAfterBytes)
        {
            Client = _connection.Remote,
            Local = _connection.Local,
        };
        Volatile.Write(ref _relay, relay);
        server.SetDeadline(0);
        SetDeadline(Deadlines.After(TimeSpan.FromMilliseconds(idle)));
        try
        {
            await relay.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _relay, null);
        }
    }

    /// <summary>The deadline passed during a relay: it goes on if a byte moved within its idle limit, else it is cut.</summary>
    private bool ExpireRelay()
    {
        if (Volatile.Read(ref _relay) is not { } relay)
        {
            return false;
        }

        var quiet = Environment.TickCount64 - Volatile.Read(ref relay.LastActivity);
        if (quiet < relay.IdleTimeoutMs)
        {
            SetDeadline(Deadlines.After(TimeSpan.FromMilliseconds(relay.IdleTimeoutMs - quiet)));
            return true;
        }

        relay.AbortIdle();
        return true;
    }

    private async Task CopyAsync(HttpVserver vserver, ServerConnection server, bool toServer, TimeSpan timeout)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            if (toServer && !_in.IsEmpty)
            {
                await server.Wire.WriteAsync(_in.Memory).ConfigureAwait(false);
                _in.Consume(_in.Count);
            }

            var from = toServer ? _client : server.Wire;
            var to = toServer ? server.Wire : _client;
            while (true)
            {
                var n = await from.ReadAsync(buffer).ConfigureAwait(false);
                if (n == 0)
                {
                    to.ShutdownSend();
                    return;
                }

                SetDeadline(Deadlines.After(ClientTimeout));
                server.SetDeadline(Deadlines.After(timeout));
                await to.WriteAsync(buffer.AsMemory(0, n)).ConfigureAwait(false);
                if (toServer)
                {
                    Interlocked.Add(ref vserver.Runtime.Counters.BytesFromClients, n);
                    Interlocked.Add(ref server.Member.Counters.BytesToServer, n);
                }
                else
                {
                    Interlocked.Add(ref server.Member.Counters.BytesFromServer, n);
                    Interlocked.Add(ref vserver.Runtime.Counters.BytesToClients, n);
                }
            }
        }
        catch (Exception e) when (IsConnectionError(e))
        {
            // Either side closed hard or a timeout closed both: the tunnel is over.
            server.Wire.Close();
            _client.Close();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
