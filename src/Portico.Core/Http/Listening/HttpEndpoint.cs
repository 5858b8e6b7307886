using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Portico.ClientIp;
using Portico.ClientIp.ProxyProtocol;
using Portico.Http.Pipeline;
using Portico.Listeners;

namespace Portico.Http.Listening;

/// <summary>What a listener speaks: plain HTTP, TLS (an SSL vserver), or redirects to HTTPS.</summary>
internal enum HttpListenerKind
{
    Http,
    Tls,
    Redirect,
}

/// <summary>
/// One L7 listener: its own <see cref="KestrelServer"/> on one address, serving the shared application.
/// The vserver it serves is swapped in place on every config change; connections run the admission
/// policies before the first byte (and before the TLS handshake), as L4 connections do.
/// </summary>
internal sealed class HttpEndpoint
{
    private readonly KestrelServer _server;
    private readonly KestrelServerOptions _options;

    private HttpEndpoint(IPEndPoint endpoint, HttpListenerKind kind, HttpListenerSlot slot, KestrelServer server, KestrelServerOptions options)
    {
        EndPoint = endpoint;
        Kind = kind;
        Slot = slot;
        _server = server;
        _options = options;
    }

    /// <summary>The bound address (the real port when the config asked for 0).</summary>
    public IPEndPoint EndPoint { get; private set; }

    public HttpListenerKind Kind { get; }

    public HttpListenerSlot Slot { get; }

    /// <summary>Binds and starts serving; throws when the address cannot be used.</summary>
    public static HttpEndpoint Start(IPEndPoint endpoint, HttpListenerKind kind, HttpVserver vserver, HttpFrontEnd frontEnd,
        ClientAdmission admission, L7Connections connections, ClientIpOptions clientIp)
    {
        var slot = new HttpListenerSlot(vserver);
        var options = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = frontEnd.Services };
        ApplyLimits(options, vserver);
        ListenOptions? bound = null;
        options.Listen(endpoint, listen =>
        {
            bound = listen;
            listen.Protocols = kind == HttpListenerKind.Tls ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
            listen.Use(next => connection => Admit(connection, next, slot, kind, admission, connections, clientIp));
            if (kind == HttpListenerKind.Tls)
            {
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = context => ValueTask.FromResult(
                        slot.Current.Tls?.Select(context.ClientHelloInfo.ServerName)
                        ?? throw new System.Security.Authentication.AuthenticationException(
                            $"no certificate of {slot.Current.Name} fits '{context.ClientHelloInfo.ServerName}'")),
                    HandshakeTimeout = TimeSpan.FromSeconds(10),
                });
            }

            // After TLS, so the decrypted tap (start nstrace -mode SSLPLAIN) sees plaintext; one check when no tap runs.
            listen.Use(next => Capture.Tap.TapConnectionMiddleware.Wrap(next, frontEnd.Taps, () => slot.Current.Name));
        });

        var loggers = new ProtocolErrors.BadRequestLoggers(frontEnd.Loggers, () => slot.Current.Runtime, frontEnd.ProtocolErrors);
        var server = new KestrelServer(Microsoft.Extensions.Options.Options.Create(options), frontEnd.Transport, loggers);
        try
        {
            frontEnd.Capture.StartOnAsync(server, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return new HttpEndpoint(bound!.IPEndPoint ?? endpoint, kind, slot, server, options);
    }

    /// <summary>Serves <paramref name="vserver"/> from the next request on; connections stay open.</summary>
    public void Update(HttpVserver vserver)
    {
        Slot.Current = vserver;
        ApplyLimits(_options, vserver);
    }

    /// <summary>Stops accepting at once, lets requests in flight finish until <paramref name="drain"/> is cancelled, then cuts.</summary>
    public async Task StopAsync(CancellationToken drain)
    {
        try
        {
            await _server.StopAsync(drain).ConfigureAwait(false);
        }
        finally
        {
            _server.Dispose();
        }
    }

    // Kestrel reads the keep-alive timeout each time a connection goes idle, so a change applies to live connections.
    private static void ApplyLimits(KestrelServerOptions options, HttpVserver vserver) =>
        options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(vserver.Config.ClientTimeout is > 0 and var t ? t : DefaultClientTimeoutSeconds);

    /// <summary>NetScaler's default client idle timeout for HTTP vservers (seconds).</summary>
    public const long DefaultClientTimeoutSeconds = 180;

    private static async Task Admit(ConnectionContext connection, ConnectionDelegate next, HttpListenerSlot slot, HttpListenerKind kind,
        ClientAdmission admission, L7Connections connections, ClientIpOptions clientIp)
    {
        var vserver = slot.Current;
        var peer = connection.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        var local = connection.LocalEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        var admitted = await admission.AdmitAsync(peer, local, vserver.Runtime, (Connection: connection, Vserver: vserver.Runtime, ClientIp: clientIp),
            static s => ReadProxyHeaderAsync(s.Connection, s.Vserver, s.ClientIp)).ConfigureAwait(false);
        if (admitted.Verdict != AdmissionVerdict.Admitted)
        {
            if (admitted.Verdict == AdmissionVerdict.Denied)
            {
                L7Connections.Reset(connection, "denied");
            }

            return;
        }

        using var header = admitted.Header;
        var remote = admitted.Client;
        var destination = admitted.Destination;
        using var registration = connections.Add(connection, remote, local);
        connection.Features.Set(new VserverConnection(slot, remote, local, kind == HttpListenerKind.Redirect) { Destination = destination });
        if (kind == HttpListenerKind.Redirect)
        {
            // Redirected clients are not the vserver's connections: they must not count toward spillover.
            await next(connection).ConfigureAwait(false);
            return;
        }

        var counters = vserver.Runtime.Counters;
        Interlocked.Increment(ref counters.TotalConnections);
        Interlocked.Increment(ref counters.CurrentClientConnections);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref counters.CurrentClientConnections);
        }
    }

    /// <summary>
    /// Reads the PROXY header from Kestrel's input, before TLS; null when the connection was refused (counted
    /// and reset) or went away. The client it names becomes the connection's remote endpoint: X-Forwarded-For,
    /// -cip headers, SOURCEIP persistence and logs all see the client.
    /// </summary>
    private static async ValueTask<ClientHeader<ProxyReceived>?> ReadProxyHeaderAsync(ConnectionContext connection, Runtime.VserverRuntime vserver,
        ClientIpOptions clientIp)
    {
        ProxyReceived received;
        try
        {
            received = await ProxyHeaderReceiver.ReadAsync(connection.Transport.Input, clientIp, connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }

        if (received.Reject is { } reject)
        {
            reject.CountOn(vserver.Counters);
            L7Connections.Reset(connection, received.Error!);
            return null;
        }

        if (!received.Header!.HasAddresses)
        {
            return new(received, null, null);
        }

        connection.RemoteEndPoint = received.Header.Source;
        return new(received, received.Header.Source, received.Header.Destination);
    }
}
