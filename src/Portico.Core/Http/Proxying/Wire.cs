using System.Runtime.CompilerServices;
using System.Net.Sockets;

namespace Portico.Http.Proxying;

/// <summary>
/// One side of a proxied exchange as the engine uses it: read into a buffer it owns, write all of a span, close.
/// Plain connections use the <see cref="Socket"/> directly (one call per operation, nothing in between); TLS and
/// tapped connections go through a <see cref="Stream"/>. Operations take no cancellation token: a deadline that
/// passes closes the socket (<see cref="DeadlineSweeper"/>), which ends whatever was pending. The one exception is
/// the warm read of a plain connection (<see cref="Bare"/>), which is cancelled to let it go idle.
/// </summary>
internal abstract class Wire(Socket socket)
{
    public Socket Socket { get; } = socket;

    /// <summary>A zero-length read waits for data without holding a buffer (an idle keep-alive connection).</summary>
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer);

    /// <summary>A read that <paramref name="cancel"/> ends, leaving the connection usable (only when <see cref="Bare"/>).</summary>
    public abstract ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel);

    /// <summary>
    /// The wire is the socket itself, nothing layered on it (no TLS, no capture tap): a cancelled read leaves the
    /// connection as it was (a TLS stream's may have consumed part of a record), and the L4 relay can take the socket
    /// over after an upgrade.
    /// </summary>
    public abstract bool Bare { get; }

    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data);

    /// <summary>Ends the connection; <paramref name="reset"/> sends a TCP reset, as the L4 path refuses.</summary>
    public void Close(bool reset = false)
    {
        if (reset)
        {
            Listeners.ListeningSocket.Reset(Socket);
        }

        Dispose();
    }

    /// <summary>Ends a pending read as if the peer had closed (the caller then closes with a FIN, not a reset).</summary>
    public void Wake()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Sends FIN after the last response, so the client reads it whole before the close.</summary>
    public void ShutdownSend()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    protected abstract void Dispose();

    public static Wire Of(Socket socket) => new SocketWire(socket);

    public static Wire Of(Socket socket, Stream stream) => new StreamWire(socket, stream);

    private sealed class SocketWire(Socket socket) : Wire(socket)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer) => Socket.ReceiveAsync(buffer, SocketFlags.None);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel) => Socket.ReceiveAsync(buffer, SocketFlags.None, cancel);

        public override bool Bare => true;

        // A stream socket's send completes when all is sent; the loop only guards a short count.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data)
        {
            var sent = await Socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            while (sent < data.Length)
            {
                sent += await Socket.SendAsync(data[sent..], SocketFlags.None).ConfigureAwait(false);
            }
        }

        protected override void Dispose() => Socket.Dispose();
    }

    private sealed class StreamWire(Socket socket, Stream stream) : Wire(socket)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer) => stream.ReadAsync(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel) => stream.ReadAsync(buffer, cancel);

        public override bool Bare => false;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> data) => stream.WriteAsync(data);

        protected override void Dispose()
        {
            // The socket first: a stream's dispose may try to send a TLS close_notify and must not wait for it.
            Socket.Dispose();
            stream.Dispose();
        }
    }
}
