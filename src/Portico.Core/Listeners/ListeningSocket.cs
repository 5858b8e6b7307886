using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Portico.Listeners;

/// <summary>
/// A vserver's listening TCP socket, for the L4 and the L7 path alike: bound with address reuse (a reload's new
/// socket binds while the old one's connections linger), a deep listen queue, and accept loops
/// that keep the queue drained under connection storms (how many: <see cref="AcceptLoops"/>).
/// </summary>
public static partial class ListeningSocket
{
    /// <summary>
    /// Concurrent accepts per listening socket. With completions on the thread pool, one per core keeps the queue
    /// drained. With inline completions (Portico's default) one: a second accept queued on the same socket is
    /// handed to the thread pool by the socket engine when the first completes, so every accepted client, and its
    /// first request, would cost a thread hand-off (measured: a third of the CPU of the Connection: close run went
    /// to thread-pool workers and their wake-ups). One loop still accepts everything waiting in the backlog without
    /// a wait, as each accept first tries to complete at once.
    /// </summary>
    private static readonly int AcceptLoops =
        Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1" ? 1 : Math.Max(2, Environment.ProcessorCount);

    /// <summary>Binds and listens; throws <see cref="SocketException"/> when the address cannot be used.</summary>
    public static Socket Open(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.Bind(endpoint);
            socket.Listen(4096);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Accepts until the socket is closed, handing each client and the address it reached (the real one when the
    /// socket listens on a wildcard) to <paramref name="accepted"/>, which must not block.
    /// </summary>
    public static void StartAccepting(Socket listening, ILogger logger, Action<Socket, IPEndPoint> accepted)
    {
        var endpoint = (IPEndPoint)listening.LocalEndPoint!;
        for (var i = 0; i < AcceptLoops; i++)
        {
            _ = AcceptLoopAsync(listening, endpoint, logger, accepted);
        }
    }

    private static async Task AcceptLoopAsync(Socket listening, IPEndPoint endpoint, ILogger logger, Action<Socket, IPEndPoint> accepted)
    {
        var wildcard = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any);
        while (true)
        {
            Socket client;
            try
            {
                client = await listening.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted)
            {
                return;
            }
            catch (SocketException e)
            {
                // EMFILE and friends: back off briefly rather than spin; the client waits in the backlog.
                Log.AcceptFailed(logger, endpoint, e.SocketErrorCode);
                await Task.Delay(50).ConfigureAwait(false);
                continue;
            }

            accepted(client, wildcard ? (IPEndPoint)client.LocalEndPoint! : endpoint);
        }
    }

    /// <summary>Closes a client connection with a TCP reset: a refused or cut client learns at once.</summary>
    public static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Accept on {Endpoint} failed: {Error}")]
        public static partial void AcceptFailed(ILogger logger, IPEndPoint endpoint, SocketError error);
    }
}
