using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Net.Sockets;
using Portico.Http.Parsing;
using Portico.Runtime;

namespace Portico.Http.Proxying;

internal sealed partial class Http1Connection
{
    /// <summary>Reads from a server while a body streams: large enough that a 1 MiB response takes a handful of reads.</summary>
    private const int StreamRoom = 64 * 1024;

    private static TimeSpan ServerTimeout(ServiceRuntime member) => member.Settings.ServerTimeout switch
    {
        null => TimeSpan.FromSeconds(DefaultServerTimeoutSeconds),
        0 => TimeSpan.Zero,
        var t => TimeSpan.FromSeconds(t.Value),
    };

    /// <summary>NetScaler's default server idle timeout (seconds).</summary>
    public const long DefaultServerTimeoutSeconds = 360;

    /// <summary>Sends <see cref="_out"/> and the rest of the body, reads the response and relays it to the client.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Exchange> SendAndRelayAsync(HttpVserver vserver, ServerConnection server, long sentAt, string? cookieToSet)
    {
        var member = server.Member;
        var timeout = ServerTimeout(member);
        server.SetDeadline(Deadlines.After(timeout));
        try
        {
            await server.Wire.WriteAsync(_out.Written).ConfigureAwait(false);
        }
        catch (Exception e) when (IsConnectionError(e))
        {
            return server.Served > 0 && _bodyComplete
                ? new Exchange(Outcome.StaleConnection, member, null)
                : new Exchange(Outcome.MemberFailed, member, $"L7RSP {Broken(e, server)} while sending the request body");
        }

        Interlocked.Add(ref member.Counters.BytesToServer, _out.Length);
        var pump = _bodyComplete ? null : PumpBodyAsync(vserver, server);
        SetDeadline(0);
        var head = await ReadResponseHeadAsync(vserver, server, timeout).ConfigureAwait(false);
        if (head.Outcome != Outcome.Done)
        {
            if (pump is not null)
            {
                server.Close();
                var pumped = await pump.ConfigureAwait(false);
                if (pumped.Outcome is Outcome.ClientGone or Outcome.InvalidBody)
                {
                    return pumped;
                }
            }

            // A stale connection can take the request again only if all of it is still in hand.
            return head.Outcome == Outcome.StaleConnection && pump is not null
                ? new Exchange(Outcome.MemberFailed, member, "L7RSP closed before the response")
                : head;
        }

        member.Counters.RecordResponseTime((long)Stopwatch.GetElapsedTime(sentAt).TotalMicroseconds);
        var response = server.Head;
        if (response.Status == 101)
        {
            if (!_head.Upgrade || pump is not null)
            {
                return new Exchange(Outcome.MemberFailed, member, "L7RSP 101 to a request that asked no upgrade") { Status = 101 };
            }

            return await TunnelAsync(vserver, server, cookieToSet).ConfigureAwait(false);
        }

        var relayed = await RelayResponseAsync(vserver, server, cookieToSet, timeout, pump).ConfigureAwait(false);
        if (pump is not null)
        {
            if (!pump.IsCompleted)
            {
                // The server answered before it took the whole body: the rest of the body is never read, so neither
                // connection can carry another request.
                server.Close();
            }

            var pumped = await pump.ConfigureAwait(false);
            relayed = pumped.Outcome == Outcome.Done
                ? relayed
                : relayed with { ServerReusable = false, ClientKeepAlive = false };
            if (pumped.Outcome == Outcome.ClientGone && relayed.Outcome == Outcome.Done)
            {
                relayed = relayed with { ClientKeepAlive = false };
            }
        }

        return relayed;
    }

    /// <summary>Reads the response head, skipping 1xx interim responses; the outcome is Done when a head was parsed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Exchange> ReadResponseHeadAsync(HttpVserver vserver, ServerConnection server, TimeSpan timeout)
    {
        var member = server.Member;
        var input = server.Input;
        var received = 0L;
        var requestWasHead = _head.KnownMethod == KnownMethod.Head;
        while (true)
        {
            if (!input.IsEmpty)
            {
                server.Head.Reset();
                switch (ResponseParser.Parse(input.Span, vserver.Limits, requestWasHead, server.Head))
                {
                    case ParseOutcome.Complete when server.Head.Informational:
                        input.Consume(server.Head.HeadLength);
                        continue;
                    case ParseOutcome.Complete:
                        return new Exchange(Outcome.Done, member, null) { Status = server.Head.Status };
                    case ParseOutcome.Invalid:
                        return new Exchange(Outcome.MemberFailed, member, "L7RSP not an HTTP response") { Status = 502 };
                    case ParseOutcome.NeedMore when input.Count > vserver.Limits.MaxHead:
                        return new Exchange(Outcome.MemberFailed, member, "L7RSP not an HTTP response") { Status = 502 };
                }
            }

            int n;
            try
            {
                server.SetDeadline(Deadlines.After(timeout));
                n = await input.ReadAsync(server.Wire, 4096).ConfigureAwait(false);
            }
            catch (Exception e) when (IsConnectionError(e))
            {
                if (server.TimedOut)
                {
                    return new Exchange(Outcome.TimedOut, member, "L7TOUT no response within the server timeout");
                }

                return received == 0 && server.Served > 0
                    ? new Exchange(Outcome.StaleConnection, member, null)
                    : new Exchange(Outcome.MemberFailed, member, $"L7RSP {Broken(e, server)} before the response");
            }

            if (n == 0)
            {
                return received == 0 && server.Served > 0
                    ? new Exchange(Outcome.StaleConnection, member, null)
                    : new Exchange(Outcome.MemberFailed, member, received == 0 ? "L7RSP closed before the response" : "L7RSP not an HTTP response");
            }

            received += n;
            Interlocked.Add(ref member.Counters.BytesFromServer, n);
        }
    }

    /// <summary>Streams the rest of a request body to the server while the response is read.</summary>
    private async Task<Exchange> PumpBodyAsync(HttpVserver vserver, ServerConnection server)
    {
        var member = server.Member;
        var chunks = new OutBuffer();
        try
        {
            while (!_bodyComplete)
            {
                if (_in.IsEmpty && !await ReadClientAsync(vserver, StreamRoom).ConfigureAwait(false))
                {
                    return new Exchange(Outcome.ClientGone, member, null);
                }

                ReadOnlyMemory<byte> send;
                if (_head.Framing == BodyFraming.ContentLength)
                {
                    var take = (int)Math.Min(_bodyRemaining, _in.Count);
                    send = _in.Memory[..take];
                    _bodyRemaining -= take;
                    _bodyComplete = _bodyRemaining == 0;
                    await WriteServerAsync(server, send).ConfigureAwait(false);
                    _in.Consume(take);
                    continue;
                }

                chunks.Clear();
                var step = Framing.Transcode(ref _requestChunks, _in.Span, vserver.Limits, chunks, rechunk: true, out var consumed);
                _in.Consume(consumed);
                if (step == ChunkStep.Invalid)
                {
                    return new Exchange(Outcome.InvalidBody, member, _requestChunks.Error.Reason);
                }

                _bodyComplete = step == ChunkStep.Done;
                if (chunks.Length > 0)
                {
                    await WriteServerAsync(server, chunks.Written).ConfigureAwait(false);
                }
            }

            return new Exchange(Outcome.Done, member, null);
        }
        catch (Exception e) when (IsConnectionError(e))
        {
            return new Exchange(Outcome.MemberFailed, member, $"L7RSP {Broken(e, server)} while sending the request body");
        }
        finally
        {
            chunks.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]

    private static async ValueTask WriteServerAsync(ServerConnection server, ReadOnlyMemory<byte> data)
    {
        await server.Wire.WriteAsync(data).ConfigureAwait(false);
        Interlocked.Add(ref server.Member.Counters.BytesToServer, data.Length);
    }

    /// <summary>How the member's connection broke: <c>reset</c>, <c>closed</c>, or the socket error.</summary>
    private static string Broken(Exception e, ServerConnection server)
    {
        if (server.TimedOut)
        {
            return "timed out";
        }

        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException s)
            {
                return BrokenConnection.Words(s);
            }
        }

        return "connection broken";
    }
}
