using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portico.Testing;

/// <summary>Client-side helpers over plain sockets.</summary>
public static class TestClient
{
    /// <summary>Connects and reads the backend's name line (see <see cref="TestTcpServer"/>).</summary>
    public static async Task<(Socket Socket, string Name)> ConnectAndGreetAsync(IPEndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            var name = await ReadLineAsync(socket, cancellationToken);
            return (socket, name);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Which backend answers a fresh connection; the connection is closed after.</summary>
    public static async Task<string> WhoAnswersAsync(IPEndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var (socket, name) = await ConnectAndGreetAsync(endpoint, cancellationToken);
        socket.Dispose();
        return name;
    }

    public static async Task<string> ReadLineAsync(Socket socket, CancellationToken cancellationToken = default)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var n = await socket.ReceiveAsync(one, SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                throw new IOException($"connection closed after '{Encoding.ASCII.GetString([.. bytes])}' without a newline");
            }

            if (one[0] == '\n')
            {
                return Encoding.ASCII.GetString([.. bytes]);
            }

            bytes.Add(one[0]);
        }
    }

    /// <summary>Reads until the peer closes; returns every byte.</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket socket, CancellationToken cancellationToken = default)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            ms.Write(buffer, 0, n);
        }

        return ms.ToArray();
    }

    /// <summary>True when a connection to <paramref name="endpoint"/> is refused or reset without data.</summary>
    public static async Task<bool> IsRefusedAsync(IPEndPoint endpoint, TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        try
        {
            var (socket, _) = await ConnectAndGreetAsync(endpoint, cts.Token);
            socket.Dispose();
            return false;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return true;
        }
    }
}
