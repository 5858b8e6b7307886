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
public sealed class TcpVserverListener : IVserverSocket
{
    private readonly Socket _socket;
    private readonly TcpForwarder _forwarder;
    private volatile VserverRuntime _vserver;

    private TcpVserverListener(Socket socket, IPEndPoint endpoint, VserverRuntime vserver, TcpForwarder forwarder)
    {
        _socket = socket;
        EndPoint = endpoint;
        _vserver = vserver;
        _forwarder = forwarder;
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
        var socket = ListeningSocket.Open(endpoint);
        var listener = new TcpVserverListener(socket, (IPEndPoint)socket.LocalEndPoint!, vserver, forwarder);
        ListeningSocket.StartAccepting(socket, logger, listener.Accepted);
        return listener;
    }

    private void Accepted(Socket client, IPEndPoint local) => _ = _forwarder.HandleAsync(client, _vserver, local);

    /// <summary>Stops accepting; connections already accepted go on until they end.</summary>
    public void Dispose() => _socket.Dispose();
}
