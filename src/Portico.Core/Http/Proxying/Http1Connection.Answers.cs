using System.Runtime.CompilerServices;
using System.Text;
using Portico.Http.Parsing;

namespace Portico.Http.Proxying;

internal sealed partial class Http1Connection
{
    /// <summary>How the forwarding attempt ends for the client, counters and passive health; false closes the connection.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ConcludeAsync(HttpVserver vserver, Exchange result)
    {
        var counters = vserver.Runtime.Counters;
        var member = result.Member;
        _logMember = member?.Name;
        _logStatus = result.Status;
        switch (result.Outcome)
        {
            case Outcome.Done:
                // Passive health sees live traffic: a run of 5xx answers counts like a run of failed connects.
                if (result.Status >= 500)
                {
                    member?.Health.Passive.ReportFailure($"L7STS {result.Status}");
                }
                else
                {
                    member?.Health.Passive.ReportSuccess();
                }

                ConsumeHead();
                return result.ClientKeepAlive;
            case Outcome.Upgraded:
                return false;
            case Outcome.ConnectFailed or Outcome.Refused:
                Interlocked.Increment(ref counters.Errors502);
                return await ErrorPageAsync(vserver, 502).ConfigureAwait(false);
            case Outcome.MemberFailed:
                member?.Health.Passive.ReportFailure(result.Reason!);
                Interlocked.Increment(ref counters.Errors502);
                return await ErrorPageAsync(vserver, 502).ConfigureAwait(false);
            case Outcome.TimedOut:
                member?.Health.Passive.ReportFailure(result.Reason!);
                Interlocked.Increment(ref counters.Errors504);
                return await ErrorPageAsync(vserver, 504).ConfigureAwait(false);
            case Outcome.ServerBroke:
                // The member broke a response it had started: the client sees the truncation as a reset.
                member?.Health.Passive.ReportFailure(result.Reason!);
                Interlocked.Increment(ref counters.ServerAborts);
                _client.Close(reset: true);
                return false;
            case Outcome.InvalidBody when !result.ResponseStarted:
                await RefuseAsync(vserver, _requestChunks.Error).ConfigureAwait(false);
                return false;
            case Outcome.InvalidBody:
                _services.ProtocolErrors.Report(vserver.Runtime, _connection.Remote.ToString(), _requestChunks.Error.Reason);
                return false;
            default:
                // The client went away or stopped reading: its own counter, never a 502 an alarm would see.
                Interlocked.Increment(ref counters.ClientAborts);
                return false;
        }
    }

    /// <summary>Portico's own page for 502, 503 and 504; the connection stays open when the request was read whole.</summary>
    private async ValueTask<bool> ErrorPageAsync(HttpVserver vserver, int status)
    {
        _logStatus = status;
        var keepAlive = _head.KeepAlive && _bodyComplete && !_stopping;
        var (title, body) = Pipeline.ErrorPages.Render(status, vserver.Name);
        var page = $"HTTP/1.1 {status} {title}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\n"
            + (keepAlive ? "\r\n" : "Connection: close\r\n\r\n");
        ConsumeHead();
        byte[] answer = [.. Encoding.ASCII.GetBytes(page), .. body];
        if (!await TryWriteClientAsync(vserver, answer).ConfigureAwait(false))
        {
            return false;
        }

        if (!keepAlive)
        {
            await LingerAsync().ConfigureAwait(false);
        }

        return keepAlive;
    }

    /// <summary>
    /// A request Portico will not forward: counted and logged as a client protocol error, answered (unless the
    /// profile drops invalid requests) with <c>Connection: close</c>, and the connection closed.
    /// </summary>
    private async ValueTask RefuseAsync(HttpVserver vserver, ParseError error)
    {
        _services.ProtocolErrors.Report(vserver.Runtime, _connection.Remote.ToString(), $"refused with {error.Status}: {error.Reason}");
        if (vserver.Profile.DropInvalid)
        {
            return;
        }

        await AnswerAndCloseAsync(vserver, error.Status, "").ConfigureAwait(false);
    }

    private async ValueTask HeadTimedOutAsync(HttpVserver vserver)
    {
        var profile = vserver.Profile;
        _services.ProtocolErrors.Report(vserver.Runtime, _connection.Remote.ToString(), "refused with 408: request head not complete in time");
        switch (profile.HeadTimeoutAction)
        {
            case HeadTimeoutAction.Reset:
                _client.Close(reset: true);
                return;
            case HeadTimeoutAction.Drop:
                return;
        }

        await AnswerAndCloseAsync(vserver, 408, "").ConfigureAwait(false);
    }

    /// <summary>CONNECT: a vserver is not a forward proxy (405 with the methods it serves, or 400 with -markConnReqInval).</summary>
    private async ValueTask RefuseConnectAsync(HttpVserver vserver)
    {
        if (vserver.Profile.ConnectInvalid)
        {
            await RefuseAsync(vserver, new ParseError(400, "CONNECT refused (-markConnReqInval ENABLED)")).ConfigureAwait(false);
            return;
        }

        _services.ProtocolErrors.Report(vserver.Runtime, _connection.Remote.ToString(), "CONNECT refused (405): a vserver is not a forward proxy");
        await AnswerAndCloseAsync(vserver, 405, "Allow: GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE\r\n").ConfigureAwait(false);
    }

    private async ValueTask AnswerAndCloseAsync(HttpVserver vserver, int status, string extraFields)
    {
        _logStatus = status;
        var phrase = StatusPhrase(status);
        var body = Encoding.ASCII.GetBytes($"{status} {phrase}\n");
        var head = $"HTTP/1.1 {status} {phrase}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n{extraFields}Connection: close\r\n\r\n";
        byte[] answer = [.. Encoding.ASCII.GetBytes(head), .. body];
        if (await TryWriteClientAsync(vserver, answer).ConfigureAwait(false))
        {
            await LingerAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The answer is written; the client may still be sending (a body, pipelined requests). Closing now would reset
    /// the connection and could destroy the answer in flight, so the sending side is closed first and what still
    /// arrives is read and dropped, for a bounded time and amount.
    /// </summary>
    private async ValueTask LingerAsync()
    {
        _client.ShutdownSend();
        _in.Release();
        SetDeadline(Deadlines.After(TimeSpan.FromSeconds(2)));
        var scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            for (var total = 0; total < 256 * 1024;)
            {
                var n = await _client.ReadAsync(scratch).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                total += n;
            }
        }
        catch (Exception e) when (IsConnectionError(e))
        {
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>A <c>-redirectFromPort</c> listener answers every request with a redirect to the SSL vserver.</summary>
    private async ValueTask<bool> RedirectAsync(HttpVserver vserver)
    {
        Interlocked.Increment(ref vserver.Runtime.Counters.Redirects);
        _logStatus = 302;
        var span = _in.Span;
        var host = _head.HasHost ? Encoding.ASCII.GetString(span[_head.Host]) : _connection.Local.Address.ToString();
        var colon = host.LastIndexOf(':');
        if (colon > 0 && host.IndexOf(']', StringComparison.Ordinal) < colon)
        {
            host = host[..colon];
        }

        var target = span[_head.PathAndQuery];
        var location = HttpsRedirect.Location(vserver, host, target.IsEmpty ? "/" : Encoding.ASCII.GetString(target));
        var keepAlive = _head.KeepAlive && _head.Framing == BodyFraming.None && !_stopping;
        var head = $"HTTP/1.1 302 Found\r\nLocation: {location}\r\nCache-Control: no-store\r\nContent-Length: 0\r\n" + (keepAlive ? "\r\n" : "Connection: close\r\n\r\n");
        ConsumeHead();
        return await TryWriteClientAsync(vserver, Encoding.ASCII.GetBytes(head)).ConfigureAwait(false) && keepAlive;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]

    private async ValueTask WriteClientAsync(HttpVserver vserver, ReadOnlyMemory<byte> data)
    {
        SetDeadline(Deadlines.After(ClientTimeout));
        _logBytes += data.Length;
        await _client.WriteAsync(data).ConfigureAwait(false);
        Interlocked.Add(ref vserver.Runtime.Counters.BytesToClients, data.Length);
    }

    /// <summary>Writes to the client; false when it is gone (or stopped reading past its timeout).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> TryWriteClientAsync(HttpVserver vserver, ReadOnlyMemory<byte> data)
    {
        try
        {
            await WriteClientAsync(vserver, data).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (IsConnectionError(e))
        {
            return false;
        }
    }

    private static string StatusPhrase(int status) => status switch
    {
        400 => "Bad Request",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        417 => "Expectation Failed",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    };
}
