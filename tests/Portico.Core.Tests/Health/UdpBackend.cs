using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portico.Core.Tests.Health;

/// <summary>A real UDP server on loopback that answers every datagram with <see cref="Reply"/>, or stays silent.</summary>
internal sealed class UdpBackend : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _received;

    private UdpBackend(Socket socket)
    {
        _socket = socket;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _serving = ServeAsync();
    }

    public IPEndPoint EndPoint { get; }

    public volatile string? Reply = "PONG";

    public int Received => Volatile.Read(ref _received);

    public static UdpBackend Start()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return new UdpBackend(socket);
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var r = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                Interlocked.Increment(ref _received);
                if (Reply is { } reply)
                {
                    await _socket.SendToAsync(Encoding.ASCII.GetBytes(reply), SocketFlags.None, r.RemoteEndPoint, _stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await _serving;
        _socket.Dispose();
        _stop.Dispose();
    }
}
