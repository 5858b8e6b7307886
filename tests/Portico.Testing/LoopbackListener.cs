using System.Net;
using System.Net.Sockets;

namespace Portico.Testing;

/// <summary>
/// The accept loop of a test backend: a TCP listener on 127.0.0.1 that hands every connection to the
/// backend's handler, with a token cancelled at dispose. For backends whose handler decides every byte
/// (<see cref="TestTcpServer"/> greets and echoes).
/// </summary>
public sealed class LoopbackListener : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public LoopbackListener(Func<Socket, CancellationToken, Task> serve, int backlog = 128)
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(backlog);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _accepting = AcceptAsync(serve);
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    private async Task AcceptAsync(Func<Socket, CancellationToken, Task> serve)
    {
        while (true)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = serve(s, _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
