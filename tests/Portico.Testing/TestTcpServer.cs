using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portico.Testing;

/// <summary>
/// A real TCP backend on loopback for tests. On every connection it first sends its name and a
/// newline (so a client knows which member it reached), then echoes every byte back; when the client
/// half-closes, it finishes echoing and half-closes too. It counts what it sees.
/// </summary>
public sealed class TestTcpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _accepting;
    private Socket? _tombstone;
    private int _accepted;
    private int _current;

    private TestTcpServer(string name, Socket listener)
    {
        Name = name;
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _accepting = AcceptAsync();
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>Connections accepted since start.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections open now.</summary>
    public int Current => Volatile.Read(ref _current);

    /// <summary>Client addresses seen, for source-address tests.</summary>
    public List<IPEndPoint> Peers { get; } = [];

    /// <summary>
    /// Client addresses of the connections that sent at least one byte, in that order: real clients, not the
    /// health probes that connect and leave (lock the list to read it).
    /// </summary>
    public List<IPEndPoint> Talkers { get; } = [];

    /// <summary>When set, the server only sends its name and then reads without echoing (a sink).</summary>
    public bool Sink { get; init; }

    public static TestTcpServer Start(string name, IPAddress? address = null, int port = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(address ?? IPAddress.Loopback, port));
        socket.Listen(2048);
        return new TestTcpServer(name, socket);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
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

            Interlocked.Increment(ref _accepted);
            Interlocked.Increment(ref _current);
            lock (_open)
            {
                _open.Add(s);
                Peers.Add((IPEndPoint)s.RemoteEndPoint!);
            }

            _ = ServeAsync(s);
        }
    }

    private async Task ServeAsync(Socket s)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            await s.SendAsync(Encoding.ASCII.GetBytes(Name + "\n"));
            var talked = false;
            while (true)
            {
                var n = await s.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0)
                {
                    s.Shutdown(SocketShutdown.Send);
                    break;
                }

                if (!talked)
                {
                    talked = true;
                    lock (Talkers)
                    {
                        Talkers.Add((IPEndPoint)s.RemoteEndPoint!);
                    }
                }

                if (!Sink)
                {
                    await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                }
            }

            // Wait for the peer to close its side too before releasing the socket.
            while (await s.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
            }
        }
        catch (Exception)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _current);
            lock (_open)
            {
                _open.Remove(s);
            }

            s.Dispose();
        }
    }

    /// <summary>
    /// Dies as a crashed backend does (open connections reset, new ones refused) but keeps its port bound
    /// without listening until disposed: on a machine running many tests, a port given back to the kernel
    /// can be handed at once to another test's server, which would then answer probes in the dead one's place.
    /// </summary>
    public async ValueTask KillAsync()
    {
        await StopAsync();
        var tombstone = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tombstone.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        tombstone.Bind(EndPoint);
        _tombstone = tombstone;
    }

    /// <summary>Stops listening and resets every open connection, as a crashed backend would.</summary>
    public async ValueTask DisposeAsync()
    {
        _tombstone?.Dispose();
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
    }

    private async Task StopAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_open)
        {
            foreach (var s in _open)
            {
                s.Dispose();
            }
        }

        await _accepting;
    }
}
