using System.Runtime.CompilerServices;
using System.Diagnostics;
using System.Text;
using Portico.ClientIp;
using Portico.Http.Parsing;
using Portico.Responder;
using Portico.Runtime;

namespace Portico.Http.Proxying;

internal sealed partial class Http1Connection
{
    /// <summary>Request bodies up to this size are read whole before a member is chosen (slow uploads hold no server).</summary>
    public const int BodyBufferLimit = 64 * 1024;

    /// <summary>Serves the request whose head is at the start of <see cref="_in"/>; false when the connection must close.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ServeAsync()
    {
        var vserver = Vserver;
        ResetPolicyValues();
        Interlocked.Increment(ref vserver.Runtime.Counters.Requests);
        if (_connection.Redirect)
        {
            return await RedirectAsync(vserver).ConfigureAwait(false);
        }

        if (_head.KnownMethod == KnownMethod.Connect)
        {
            await RefuseConnectAsync(vserver).ConfigureAwait(false);
            return false;
        }

        if (_head.KnownMethod == KnownMethod.Trace && vserver.Profile.TraceInvalid)
        {
            await RefuseAsync(vserver, new ParseError(400, "TRACE refused (-markTraceReqInval ENABLED)")).ConfigureAwait(false);
            return false;
        }

        if (_head.Upgrade && !vserver.Profile.PassUpgrade)
        {
            _head.Upgrade = false;
        }

        var buffered = await BufferBodyAsync(vserver).ConfigureAwait(false);
        if (buffered == BodyRead.ClientGone)
        {
            Interlocked.Increment(ref vserver.Runtime.Counters.ClientAborts);
            return false;
        }

        if (buffered == BodyRead.Invalid)
        {
            await RefuseAsync(vserver, _requestChunks.Error).ConfigureAwait(false);
            return false;
        }

        // NetScaler's order: the responder where the request arrives, content switching, the responder of the lb vserver.
        var responder = _services.Responder.Current;
        if (!responder.IsEmpty && responder.Arrive(this, vserver.Name, last: vserver.Switch is null) is { Verdict: not ResponderVerdict.Continue } arrived)
        {
            return await RespondAsync(vserver, arrived).ConfigureAwait(false);
        }

        if (vserver.Switch is { } contentSwitch)
        {
            // A cs vserver: its policies choose the lb vserver that balances this request.
            if (contentSwitch.Route(this) is not { } target)
            {
                Interlocked.Increment(ref vserver.Runtime.Counters.Errors503);
                return await ErrorPageAsync(vserver, 503).ConfigureAwait(false);
            }

            vserver = target;
            Interlocked.Increment(ref vserver.Runtime.Counters.Requests);
            if (!responder.IsEmpty && responder.Switched(this, vserver.Name) is { Verdict: not ResponderVerdict.Continue } switched)
            {
                return await RespondAsync(vserver, switched).ConfigureAwait(false);
            }
        }

        _logLbVserver = vserver.Name;
        if (RewriteRequest(vserver) is { } refused)
        {
            return refused;
        }

        NoteCompressionOffer(); // compression (cmp): the request's Accept-Encoding, read while its head is in hand

        // Integrated cache: a fresh stored object answers here, before a member is chosen (Http1Connection.Cache.cs).
        if (_cache is { Active: true })
        {
            CacheAbandon();
        }

        var cache = _services.Cache.Current;
        if (!cache.IsEmpty && cache.Serves(Vserver.Name, vserver.Name) && await CacheLookupAsync(vserver, cache).ConfigureAwait(false) is { } cached)
        {
            return cached;
        }

        var url = vserver.NeedsUrl ? Url() : null;
        var cookie = _services.Selection.UsesCookie(vserver) ? Cookie(vserver) : null;
        var client = _connection.Remote;
        if (_services.Selection.Choose(vserver, client, _connection.Local, url, cookie) is not { } chosen)
        {
            Interlocked.Increment(ref vserver.Runtime.Counters.Errors503);
            return await ErrorPageAsync(vserver, 503).ConfigureAwait(false);
        }

        var result = await ForwardAsync(vserver, chosen, cookie).ConfigureAwait(false);
        if (result.Outcome == Outcome.ConnectFailed && IsReplayable
            && Requests.RequestSelection.ChooseAvoiding(vserver, client, _connection.Local, url, result.Member!) is { } second)
        {
            if (second.Member.Service != result.Member)
            {
                // The member could not even be connected to, so the request never reached it: an idempotent
                // request goes once to another member instead of failing (HAProxy redispatches the same way).
                Interlocked.Increment(ref vserver.Runtime.Counters.Retries);
                result = await ForwardAsync(vserver, second, cookie).ConfigureAwait(false);
            }
            else
            {
                second.Member.Service.Release();
            }
        }

        if (_cache is { Active: true })
        {
            // Integrated cache: the relayed response is stored now that it is whole.
            CacheFinish(result);
        }

        return await ConcludeAsync(vserver, result).ConfigureAwait(false);
    }

    /// <summary>An idempotent request without a body can be sent again (RFC 9110 section 9.2.2).</summary>
    private bool IsReplayable =>
        _head.KnownMethod is KnownMethod.Get or KnownMethod.Head or KnownMethod.Options or KnownMethod.Put or KnownMethod.Delete or KnownMethod.Trace
        && (_head.Framing == BodyFraming.None || _head.Framing == BodyFraming.ContentLength && _head.ContentLength == 0);

    private string Url()
    {
        var span = _in.Span;
        var (offset, length) = _head.PathAndQuery.GetOffsetAndLength(span.Length);
        return length == 0 ? "/" : Encoding.ASCII.GetString(span.Slice(offset, length));
    }

    private string? Cookie(HttpVserver vserver) =>
        _head.TryGetCookie(_in.Span, vserver.CookieNameBytes, out var value) ? Encoding.ASCII.GetString(_in.Span[value]) : null;

    /// <summary>One attempt at one member: the member stays reserved until its response has ended.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Exchange> ForwardAsync(HttpVserver vserver, Runtime.Selection chosen, string? cookie)
    {
        var member = chosen.Member.Service;
        try
        {
            Interlocked.Increment(ref member.Counters.Requests);
            if (chosen.ServedBy != vserver.Runtime)
            {
                Interlocked.Increment(ref chosen.ServedBy.Counters.Requests);
            }

            var cookieToSet = _services.Selection.Remember(vserver, _connection.Remote, cookie, member);
            return await ExchangeAsync(vserver, member, cookieToSet).ConfigureAwait(false);
        }
        finally
        {
            member.Release();
        }
    }

    /// <summary>Sends the request to <paramref name="member"/> and relays its response.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Exchange> ExchangeAsync(HttpVserver vserver, ServiceRuntime member, string? cookieToSet)
    {
        var perClient = member.ClientIp.IsPerClient;
        var serverName = member.Type is LoadBalancing.ServiceType.Ssl or LoadBalancing.ServiceType.SslTcp ? HostName() : null;
        var pool = vserver.PoolOf(member);
        ServerConnection? server = perClient || !vserver.Profile.ReuseServerConnections ? null : pool.TryTake(serverName);
        var sentAt = Stopwatch.GetTimestamp();
        ComposeRequest(vserver, member, perClient);
        while (true)
        {
            if (server is null)
            {
                try
                {
                    var proxied = perClient ? new ProxiedClient(_connection.Remote, _connection.Destination) { Tlvs = _connection.Tls?.Tlvs() ?? [] } : null;
                    server = await _services.Servers.ConnectAsync(member, proxied, serverName, vserver.Name).ConfigureAwait(false);
                }
                catch (ConnectException e)
                {
                    if (e.Problem == ConnectProblem.Source && e.InnerException is Upstream.SourceAddressException { Problem: Upstream.SourceProblem.PortsExhausted })
                    {
                        Interlocked.Increment(ref vserver.Runtime.Counters.SourcePortsExhausted);
                    }

                    return new Exchange(e.Problem == ConnectProblem.Member ? Outcome.ConnectFailed : Outcome.Refused, member, null);
                }
            }

            var reused = server.Served > 0;
            var attempt = await SendAndRelayAsync(vserver, server, sentAt, cookieToSet).ConfigureAwait(false);
            if (attempt.Outcome == Outcome.StaleConnection)
            {
                // A kept-alive connection the server had closed: nothing of the request was taken, send it on a new one.
                server.Close();
                server = null;
                if (reused)
                {
                    continue;
                }

                return new Exchange(Outcome.MemberFailed, member, "L7RSP closed before the response");
            }

            if (attempt.Outcome == Outcome.Done && attempt.ServerReusable && !perClient && vserver.Profile.ReuseServerConnections)
            {
                server.Served++;
                pool.Return(server, vserver.Profile.PoolIdleTimeout);
            }
            else
            {
                server.Close();
            }

            return attempt with { Member = member };
        }
    }

    /// <summary>The host part of the request's Host field (the TLS name toward SSL services).</summary>
    private string? HostName()
    {
        if (!_head.HasHost)
        {
            return null;
        }

        var host = _in.Span[_head.Host];
        var colon = host.LastIndexOf((byte)':');
        if (colon > 0 && host.IndexOf((byte)']') < colon)
        {
            host = host[..colon];
        }

        return Encoding.ASCII.GetString(host.Trim("[]"u8));
    }
}
