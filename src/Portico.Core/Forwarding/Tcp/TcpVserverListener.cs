using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Portico.ContentSwitching;
using Portico.Listeners;
using Portico.Runtime;

namespace Portico.Forwarding.Tcp;

/// <summary>
/// A listening socket for one L4 TCP vserver. The vserver it serves is swapped in place on every
/// config change, so a reload never closes the socket nor the connections it accepted. A TCP cs vserver's socket
/// also has a <see cref="Switch"/>: each connection goes on to the lb vserver it chooses.
/// </summary>
public sealed class TcpVserverListener : IVserverSocket
{
    private readonly Socket _socket;
    private readonly TcpForwarder _forwarder;
    private volatile VserverRuntime _vserver;
    private volatile CsRouter<VserverRuntime>? _switch;

    private TcpVserverListener(Socket socket, IPEndPoint endpoint, VserverRuntime vserver, CsRouter<VserverRuntime>? router, TcpForwarder forwarder)
    {
        _socket = socket;
        EndPoint = endpoint;
        _vserver = vserver;
        _switch = router;
        _forwarder = forwarder;
    }

    public IPEndPoint EndPoint { get; }

    public VserverRuntime Vserver
    {
        get => _vserver;
        set => _vserver = value;
    }

    /// <summary>A cs vserver's table, resolved to this generation's lb vservers; null for an lb vserver.</summary>
    public CsRouter<VserverRuntime>? Switch
    {
        get => _switch;
        set => _switch = value;
    }

    /// <summary>Binds and listens; throws <see cref="SocketException"/> when the address cannot be used.</summary>
    public static TcpVserverListener Start(IPEndPoint endpoint, VserverRuntime vserver, CsRouter<VserverRuntime>? router, TcpForwarder forwarder, ILogger logger)
    {
        var socket = ListeningSocket.Open(endpoint);
        var listener = new TcpVserverListener(socket, (IPEndPoint)socket.LocalEndPoint!, vserver, router, forwarder);
        ListeningSocket.StartAccepting(socket, logger, listener.Accepted);
        return listener;
    }

    private void Accepted(Socket client, IPEndPoint local)
    {
        if (_switch is not { } router)
        {
            _ = _forwarder.HandleAsync(client, _vserver, local);
            return;
        }

        Interlocked.Increment(ref _vserver.Counters.TotalConnections);
        IPEndPoint remote;
        try
        {
            remote = (IPEndPoint)client.RemoteEndPoint!;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            client.Dispose();
            return;
        }

        // No policy matched and no default: NetScaler refuses the connection; the counter says why.
        if (router.Route(new ConnectionRequest(remote, local)) is { } target)
        {
            _ = _forwarder.HandleAsync(client, target, local);
        }
        else
        {
            ListeningSocket.Reset(client);
        }
    }

    /// <summary>Stops accepting; connections already accepted go on until they end.</summary>
    public void Dispose() => _socket.Dispose();
}
