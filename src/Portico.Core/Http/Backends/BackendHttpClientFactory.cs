using System.Net.Http;
using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Portico.ClientIp;
using Portico.Forwarding;
using Portico.Upstream;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Http.Backends;

/// <summary>
/// YARP's HTTP client to backends, with Portico's connect step: a connection to a member leaves from the
/// member's SNIP (as on the L4 path, through <see cref="BackendConnector"/>), within its connect timeout,
/// and is counted on the member. Connections are pooled and reused by YARP's handler (keep-alive), except
/// toward members that send a PROXY header or use USIP: those connections belong to one client
/// (<see cref="PerClientConnections"/>).
/// </summary>
internal sealed class BackendHttpClientFactory(BackendConnector connector, Func<HttpModel> model,
    ILogger<ForwarderHttpClientFactory> logger)
    : ForwarderHttpClientFactory(logger)
{
    /// <summary>The decrypted tap: a capture covering a member sees Portico's connections to it.</summary>
    public Capture.Tap.ConnectionTaps? Taps { get; init; }

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        NoTraceHeaders(handler);
        handler.ConnectTimeout = connector.ConnectTimeout;
        handler.ConnectCallback = (connection, cancellationToken) => ConnectAsync(connection, null, cancellationToken);
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new PerClientHandler(base.WrapHandler(context, handler), connection =>
        {
            // Configured as the pooled handler is (YARP's settings for the cluster), but connecting for this client only.
            var own = new SocketsHttpHandler();
            base.ConfigureHandler(context, own);
            NoTraceHeaders(own);
            own.ConnectTimeout = connector.ConnectTimeout;
            own.ConnectCallback = (http, cancellationToken) => ConnectAsync(http, connection.Client, cancellationToken);
            return own;
        });

    /// <summary>
    /// YARP's handler propagates the request's activity as <c>traceparent</c> (ASP.NET Core starts one for
    /// every request its logging could scope): a header the server never asked for. Portico adds no header
    /// unless configured; a client's own trace headers pass unchanged, as every other header does.
    /// </summary>
    private static void NoTraceHeaders(SocketsHttpHandler handler) => handler.ActivityHeadersPropagator = null;

    /// <param name="client">The client a per-client connection is for; null for a pooled connection.</param>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, ProxiedClient? client, CancellationToken cancellationToken)
    {
        var endpoint = IPAddress.TryParse(context.DnsEndPoint.Host, out var ip) ? new IPEndPoint(ip, context.DnsEndPoint.Port) : null;
        if (endpoint is null || !model().MembersByEndpoint.TryGetValue(endpoint, out var member))
        {
            // Not a member of the current config (it was removed while a request was on its way): plain connect.
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        try
        {
            var socket = await connector.ConnectAsync(member, client, cancellationToken).ConfigureAwait(false);
            // A connect alone is no success for passive health: a member that accepts and then resets every
            // request must not be forgiven by its own connects. The response is what counts (SelectionMiddleware).
            Interlocked.Increment(ref member.Counters.TotalConnections);
            var stream = new NetworkStream(socket, ownsSocket: true);
            return Taps is { Active: true } taps ? Capture.Tap.TapStreams.Backend(taps, stream, socket, member.Name, member.Endpoint) : stream;
        }
        catch (SourceAddressException)
        {
            // Portico's own limit (no source port or address), not the member's: no passive-health failure.
            // SelectionMiddleware counts it on the vserver the request came to.
            throw;
        }
        catch (SocketException e)
        {
            Interlocked.Increment(ref member.Counters.ConnectFailures);

            // Passive health, as on L4: three failed connects in a row mark the member DOWN between probes.
            member.Health.Passive.ReportFailure(e.SocketErrorCode == SocketError.TimedOut ? "L4TOUT connect timeout" : $"L4CON {e.SocketErrorCode}");
            throw;
        }
    }
}
