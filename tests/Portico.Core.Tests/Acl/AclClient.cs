using System.Net;
using System.Net.Sockets;
using System.Text;
using Portico.Testing;

namespace Portico.Core.Tests.Acl;

/// <summary>Client connections from a chosen loopback address (127.0.0.0/8 is all ours), and what became of them.</summary>
internal static class AclClient
{
    /// <summary>Connects from <paramref name="from"/> and reads the backend's greeting; throws when refused or reset.</summary>
    public static async Task<Socket> ConnectAsync(IPEndPoint vip, IPAddress? from = null)
    {
        var socket = new Socket(vip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (from is not null)
            {
                socket.Bind(new IPEndPoint(from, 0));
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(vip, cts.Token);
            await TestClient.ReadLineAsync(socket, cts.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True when a connection from <paramref name="from"/> is reset or closed before the backend's greeting.</summary>
    public static async Task<bool> IsRefusedAsync(IPEndPoint vip, IPAddress? from = null)
    {
        try
        {
            using var socket = await ConnectAsync(vip, from);
            return false;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return true;
        }
    }

    /// <summary>True when the connection still relays: a line sent comes back.</summary>
    public static async Task<bool> EchoesAsync(Socket socket)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.SendAsync(Encoding.ASCII.GetBytes("ping\n"), SocketFlags.None, cts.Token);
            return await TestClient.ReadLineAsync(socket, cts.Token) == "ping";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True when Portico reset (or closed) the connection: a read ends within the time given.</summary>
    public static async Task<bool> WasCutAsync(Socket socket, TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        var buffer = new byte[4096];
        try
        {
            // Bytes still in flight from before (the tail of a response the caller read only in part) are not a
            // sign of life: only the end of the stream or a reset within the time counts.
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
