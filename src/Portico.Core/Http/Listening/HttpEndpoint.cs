using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Portico.ClientIp.ProxyProtocol;
using Portico.Http.Pipeline;
using Portico.Http.Proxying;
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
/// One L7 listener: a listening socket for one address, whose connections run the admission policies before the
/// first byte (and before the TLS handshake), as L4 connections do, then Portico's HTTP/1.1 engine
/// (<see cref="Http1Connection"/>). On an SSL vserver a client that chose HTTP/2 by ALPN goes to Kestrel
/// (<see cref="Http2Handoff"/>) on the same decrypted stream. The vserver it serves is swapped in place on every
/// config change; connections keep going and read it per request.
/// </summary>
internal sealed class HttpEndpoint
{
    private readonly Socket _socket;
    private readonly HttpEndpointServices _services;
    private readonly HashSet<Http1Connection> _open = [];
    private readonly List<Task> _running = [];
    private readonly Lock _lock = new();
    private Http2Handoff? _http2;
    private bool _stopping;

    private HttpEndpoint(Socket socket, HttpListenerKind kind, HttpListenerSlot slot, HttpEndpointServices services)
    {
        _socket = socket;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Kind = kind;
        Slot = slot;
        _services = services;
    }

    /// <summary>The bound address (the real port when the config asked for 0).</summary>
    public IPEndPoint EndPoint { get; }

    public HttpListenerKind Kind { get; }

    public HttpListenerSlot Slot { get; }

    /// <summary>Binds and starts accepting; throws when the address cannot be used.</summary>
    public static HttpEndpoint Start(IPEndPoint endpoint, HttpListenerKind kind, HttpVserver vserver, HttpEndpointServices services)
    {
        var socket = ListeningSocket.Open(endpoint);
        var listener = new HttpEndpoint(socket, kind, new HttpListenerSlot(vserver), services);
        ListeningSocket.StartAccepting(socket, services.Proxy.Logger, listener.Accepted);
        return listener;
    }

    /// <summary>Serves <paramref name="vserver"/> from the next request on; connections stay open.</summary>
    public void Update(HttpVserver vserver) => Slot.Current = vserver;

    private void Accepted(Socket client, IPEndPoint local)
    {
        var task = ServeAsync(client, local);
        if (!task.IsCompleted)
        {
            lock (_lock)
            {
                _running.Add(task);
            }

            _ = task.ContinueWith(Forget, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private static void Forget(Task task, object? state)
    {
        var self = (HttpEndpoint)state!;
        lock (self._lock)
        {
            self._running.Remove(task);
        }
    }

    private async Task ServeAsync(Socket socket, IPEndPoint local)
    {
        var vserver = Slot.Current;
        var counted = false;
        var counters = vserver.Runtime.Counters;
        try
        {
            socket.NoDelay = true;
            var peer = (IPEndPoint)socket.RemoteEndPoint!;
            var admitted = await _services.Admission.AdmitAsync(peer, local, vserver.Runtime, (Socket: socket, Vserver: vserver.Runtime, Services: _services),
                static s => ReadProxyHeaderAsync(s.Socket, s.Vserver, s.Services)).ConfigureAwait(false);
            if (admitted.Verdict != AdmissionVerdict.Admitted)
            {
                if (admitted.Verdict == AdmissionVerdict.Denied)
                {
                    ListeningSocket.Reset(socket);
                }
                else
                {
                    socket.Dispose();
                }

                return;
            }

            using var header = admitted.Header;
            var leftover = header?.Leftover ?? ReadOnlyMemory<byte>.Empty;
            if (Kind != HttpListenerKind.Redirect)
            {
                // Redirected clients are not the vserver's connections: they must not count toward spillover.
                Interlocked.Increment(ref counters.TotalConnections);
                Interlocked.Increment(ref counters.CurrentClientConnections);
                counted = true;
            }

            if (Kind == HttpListenerKind.Tls)
            {
                await ServeTlsAsync(socket, admitted.Client, local, admitted.Destination, leftover).ConfigureAwait(false);
                return;
            }

            var connection = new VserverConnection(Slot, admitted.Client, local, Kind == HttpListenerKind.Redirect) { Destination = admitted.Destination };
            var tap = _services.Taps.Active ? _services.Taps.OpenClient(vserver.Name, admitted.Client, local) : null;
            if (tap is null)
            {
                await RunAsync(new Http1Connection(_services.Proxy, connection, Wire.Of(socket), leftover)).ConfigureAwait(false);
                return;
            }

            // A decrypted-tap capture covers the vserver: its bytes go through the tap (one check when none runs).
            var network = new NetworkStream(socket, ownsSocket: true);
            var tapped = new Capture.Tap.TapStream(new Utilities.PrefixedStream(leftover, network, ownsInner: true), network, tap, readsAreToServer: true);
            try
            {
                await RunAsync(new Http1Connection(_services.Proxy, connection, Wire.Of(socket, tapped), default)).ConfigureAwait(false);
            }
            finally
            {
                tapped.Closed();
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            socket.Dispose();
        }
        finally
        {
            if (counted)
            {
                Interlocked.Decrement(ref counters.CurrentClientConnections);
            }
        }
    }

    /// <summary>
    /// TLS first (the certificate chosen by SNI per handshake, from the vserver current now), then by ALPN:
    /// HTTP/2 to Kestrel, HTTP/1.1 or nothing to the engine, on the same decrypted stream.
    /// </summary>
    private async Task ServeTlsAsync(Socket socket, IPEndPoint client, IPEndPoint local, IPEndPoint destination, ReadOnlyMemory<byte> leftover)
    {
        var network = new NetworkStream(socket, ownsSocket: true);
        var ssl = new SslStream(leftover.IsEmpty ? network : new Utilities.PrefixedStream(leftover, network, ownsInner: true), leaveInnerStreamOpen: false);
        try
        {
            using var handshake = new CancellationTokenSource(HandshakeTimeout);
            await ssl.AuthenticateAsServerAsync(static (_, hello, state, _) =>
            {
                var slot = (HttpListenerSlot)state!;
                return ValueTask.FromResult(slot.Current.Tls?.Select(hello.ServerName)
                    ?? throw new System.Security.Authentication.AuthenticationException($"no certificate of {slot.Current.Name} fits '{hello.ServerName}'"));
            }, Slot, handshake.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException
            or SocketException or ObjectDisposedException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            return;
        }

        var session = Tls.TlsSession.Of(ssl);
        var connection = new VserverConnection(Slot, client, local, redirect: false) { Destination = destination, Tls = session };
        Stream stream = ssl;
        var tap = _services.Taps.Active ? _services.Taps.OpenClient(Slot.Current.Name, client, local) : null;
        var tapped = tap is null ? null : new Capture.Tap.TapStream(ssl, ssl, tap, readsAreToServer: true);
        stream = tapped ?? stream;
        try
        {
            if (session.Alpn == SslApplicationProtocol.Http2)
            {
                await Http2Async(socket, stream, connection).ConfigureAwait(false);
                return;
            }

            await RunAsync(new Http1Connection(_services.Proxy, connection, Wire.Of(socket, stream), default)).ConfigureAwait(false);
        }
        finally
        {
            tapped?.Closed();
        }
    }

    /// <summary>How long a client has for its TLS handshake.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private async Task Http2Async(Socket socket, Stream stream, VserverConnection connection)
    {
        // The application first, outside this listener's lock (starting it takes the listeners' lock), and off the
        // socket engine's thread: its first start builds the HTTP/2 application.
        await Task.Yield();
        var frontEnd = _services.FrontEnd();
        Http2Handoff http2;
        lock (_lock)
        {
            http2 = _http2 ??= Http2Handoff.Start(frontEnd, EndPoint, Slot);
        }

        using var registration = _services.Connections.Add(() => ListeningSocket.Reset(socket), connection.Remote, connection.Local);
        await http2.ServeAsync(socket, stream, connection).ConfigureAwait(false);
    }

    private async Task RunAsync(Http1Connection connection)
    {
        lock (_lock)
        {
            if (_stopping)
            {
                connection.Stop();
            }

            _open.Add(connection);
        }

        using var registration = _services.Connections.Add(connection.Reset, connection.Connection.Remote, connection.Connection.Local);
        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(connection);
            }
        }
    }

    /// <summary>
    /// Reads the PROXY header before anything else (before TLS); null when the connection was refused (counted and
    /// reset) or went away. The client it names becomes the connection's client: X-Forwarded-For, -cip headers,
    /// SOURCEIP persistence and logs all see it.
    /// </summary>
    private static async ValueTask<ClientHeader<ProxyReceived>?> ReadProxyHeaderAsync(Socket socket, Runtime.VserverRuntime vserver, HttpEndpointServices services)
    {
        ProxyReceived received;
        try
        {
            received = await ProxyHeaderReceiver.ReceiveAsync(socket, services.ClientIp, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return null;
        }

        if (received.Reject is { } reject)
        {
            reject.CountOn(vserver.Counters);
            received.Dispose();
            ListeningSocket.Reset(socket);
            return null;
        }

        var header = received.Header!;
        return header.HasAddresses ? new(received, header.Source, header.Destination) : new(received, null, null);
    }

    /// <summary>
    /// Stops accepting at once; connections waiting for a request close, those with a request in flight finish it
    /// (its response says <c>Connection: close</c>) until <paramref name="drain"/> is cancelled, then are cut.
    /// </summary>
    public async Task StopAsync(CancellationToken drain)
    {
        Task[] running;
        Http1Connection[] open;
        lock (_lock)
        {
            _stopping = true;
            _socket.Dispose();
            running = [.. _running];
            open = [.. _open];
        }

        foreach (var c in open)
        {
            c.Stop();
        }

        var http2 = _http2;
        try
        {
            var all = Task.WhenAll(running);
            if (http2 is not null)
            {
                all = Task.WhenAll(all, http2.StopAsync(drain));
            }

            await all.WaitAsync(drain).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                open = [.. _open];
            }

            foreach (var c in open)
            {
                c.Reset();
            }
        }
        finally
        {
            if (http2 is not null)
            {
                await http2.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
