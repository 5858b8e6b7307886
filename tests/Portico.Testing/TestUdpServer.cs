using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portico.Testing;

/// <summary>A real UDP backend on loopback: answers every datagram with <c>name:payload</c>.</summary>
public sealed class TestUdpServer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Task _loop;
    private int _received;

    private TestUdpServer(string name, Socket socket)
    {
        Name = name;
        _socket = socket;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _loop = LoopAsync();
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    public int Received => Volatile.Read(ref _received);

    public static TestUdpServer Start(string name)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return new TestUdpServer(name, socket);
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[65536];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        try
        {
            while (true)
            {
                var n = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from);
                Interlocked.Increment(ref _received);
                var reply = Encoding.ASCII.GetBytes($"{Name}:{Encoding.ASCII.GetString(buffer, 0, n)}");
                await _socket.SendToAsync(reply, SocketFlags.None, from);
            }
        }
        catch (Exception)
        {
        }
    }

    /// <summary>Sends one datagram from <paramref name="client"/> and returns the reply, or null after a timeout.</summary>
    public static async Task<string?> AskAsync(Socket client, IPEndPoint to, string payload, TimeSpan? timeout = null)
    {
        await client.SendToAsync(Encoding.ASCII.GetBytes(payload), SocketFlags.None, to);
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(2));
        try
        {
            var n = await client.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public static Socket NewClient()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _loop;
    }
}
