using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Portico.Http.Pipeline;

namespace Portico.Http.Listening;

/// <summary>
/// HTTP/2 clients of an SSL vserver: Portico accepted the connection, ran admission and TLS, and ALPN chose
/// <c>h2</c>; the decrypted stream is handed to a Kestrel server that listens nowhere (its transport is this
/// hand-off), which runs HTTP/2 and the L7 application (selection, persistence and error pages shared with the
/// engine through <see cref="Requests.RequestSelection"/>; responder, content switching and rewrite through the same
/// runtimes, <see cref="PolicyMiddleware"/>). Kestrel does HTTP/2 framing, flow control and HPACK well;
/// HTTP/1.1 is where the hand-offs cost, so only HTTP/1.1 runs on Portico's own engine.
/// </summary>
internal sealed class Http2Handoff : IAsyncDisposable
{
    private readonly KestrelServer _server;
    private readonly HandoffTransport _transport;

    private Http2Handoff(KestrelServer server, HandoffTransport transport)
    {
        _server = server;
        _transport = transport;
    }

    public static Http2Handoff Start(HttpFrontEnd frontEnd, IPEndPoint endpoint, HttpListenerSlot slot)
    {
        // The stream is decrypted already, so Kestrel's connection is "http" while clients say :scheme https.
        var options = new KestrelServerOptions { AddServerHeader = false, AllowAlternateSchemes = true, ApplicationServices = frontEnd.Services };
        options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(slot.Current.Config.ClientTimeout is > 0 and var t ? t : Proxying.Http1Connection.DefaultClientTimeoutSeconds);
        options.Listen(endpoint, listen => listen.Protocols = HttpProtocols.Http2);
        var transport = new HandoffTransport();
        var loggers = new ProtocolErrors.BadRequestLoggers(frontEnd.Loggers, () => slot.Current.Runtime, frontEnd.ProtocolErrors);
        var server = new KestrelServer(Microsoft.Extensions.Options.Options.Create(options), transport, loggers);
        try
        {
            frontEnd.Capture.StartOnAsync(server, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return new Http2Handoff(server, transport);
    }

    /// <summary>Serves one decrypted HTTP/2 connection until Kestrel is done with it.</summary>
    public Task ServeAsync(Socket socket, Stream stream, VserverConnection connection)
    {
        var context = new HandoffConnection(socket, stream, connection);
        return _transport.Listener.Offer(context) ? context.Done : Task.CompletedTask;
    }

    /// <summary>Lets requests in flight finish until <paramref name="drain"/> is cancelled.</summary>
    public Task StopAsync(CancellationToken drain) => _server.StopAsync(drain);

    public async ValueTask DisposeAsync()
    {
        await _transport.Listener.DisposeAsync().ConfigureAwait(false);
        _server.Dispose();
    }

    private sealed class HandoffTransport : IConnectionListenerFactory
    {
        public HandoffListener Listener { get; } = new();

        public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken)
        {
            Listener.EndPoint = endpoint;
            return ValueTask.FromResult<IConnectionListener>(Listener);
        }
    }

    private sealed class HandoffListener : IConnectionListener
    {
        private readonly Channel<HandoffConnection> _queue = Channel.CreateUnbounded<HandoffConnection>();

        public EndPoint EndPoint { get; set; } = new IPEndPoint(IPAddress.None, 0);

        public bool Offer(HandoffConnection connection) => _queue.Writer.TryWrite(connection);

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                return await _queue.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
            {
                return null;
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            _queue.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                left.Abort();
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A decrypted connection as Kestrel sees it: pipes over the TLS stream, Portico's connection feature.</summary>
    private sealed class HandoffConnection : DefaultConnectionContext
    {
        private readonly Socket _socket;
        private readonly Stream _stream;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HandoffConnection(Socket socket, Stream stream, VserverConnection connection)
            : base(Guid.NewGuid().ToString("N"))
        {
            _socket = socket;
            _stream = stream;
            Transport = new DuplexPipe(PipeReader.Create(stream), PipeWriter.Create(stream));
            RemoteEndPoint = connection.Remote;
            LocalEndPoint = connection.Local;
            Features.Set(connection);
        }

        public Task Done => _done.Task;

        public override void Abort(ConnectionAbortedException abortReason)
        {
            base.Abort(abortReason);
            _socket.Dispose();
        }

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await Transport.Input.CompleteAsync().ConfigureAwait(false);
                await Transport.Output.CompleteAsync().ConfigureAwait(false);
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
            }
            finally
            {
                _socket.Dispose();
                await base.DisposeAsync().ConfigureAwait(false);
                _done.TrySetResult();
            }
        }

        private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
        {
            public PipeReader Input { get; } = input;

            public PipeWriter Output { get; } = output;
        }
    }
}
