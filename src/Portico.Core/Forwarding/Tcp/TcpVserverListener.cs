using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Portico.Listeners;
using Portico.Runtime;

namespace Portico.Forwarding.Tcp;

/// <summary>
/// A listening socket for one L4 TCP vserver. The vserver it serves is swapped in place on every
/// config change, so a reload never closes the socket nor the connections it accepted.
/// </summary>
public sealed partial class TcpVserverListener : IVserverSocket
{
    // Accepts in flight per listener: one per core keeps the accept queue drained under connection storms.
    private static readonly int AcceptLoops = Math.Max(2, Environment.ProcessorCount);
    private readonly Socket _socket;
    private readonly TcpForwarder _forwarder;
    private readonly ILogger _logger;
    private volatile VserverRuntime _vserver;

    private TcpVserverListener(Socket socket, IPEndPoint endpoint, VserverRuntime vserver, TcpForwarder forwarder, ILogger logger)
    {
        _socket = socket;
        EndPoint = endpoint;
        _vserver = vserver;
        _forwarder = forwarder;
        _logger = logger;
    }

    public IPEndPoint EndPoint { get; }

    public VserverRuntime Vserver
    {
        get => _vserver;
        set => _vserver = value;
    }

    /// <summary>Binds and listens; throws <see cref="SocketException"/> when the address cannot be used.</summary>
    public static TcpVserverListener Start(IPEndPoint endpoint, VserverRuntime vserver, TcpForwarder forwarder, ILogger logger)
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
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var listener = new TcpVserverListener(socket, (IPEndPoint)socket.LocalEndPoint!, vserver, forwarder, logger);
        for (var i = 0; i < AcceptLoops; i++)
        {
            _ = listener.AcceptLoopAsync();
        }

        return listener;
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync().ConfigureAwait(false);
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
                Log.AcceptFailed(_logger, EndPoint, e.SocketErrorCode);
                await Task.Delay(50).ConfigureAwait(false);
                continue;
            }

            var local = EndPoint.Address.Equals(IPAddress.Any) || EndPoint.Address.Equals(IPAddress.IPv6Any)
                ? (IPEndPoint)client.LocalEndPoint!
                : EndPoint;
            _ = _forwarder.HandleAsync(client, _vserver, local);
        }
    }

    /// <summary>Stops accepting; connections already accepted go on until they end.</summary>
    public void Dispose() => _socket.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Accept on {Endpoint} failed: {Error}")]
        public static partial void AcceptFailed(ILogger logger, IPEndPoint endpoint, SocketError error);
    }
}
