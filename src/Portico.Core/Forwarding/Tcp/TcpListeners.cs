using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Portico.Listeners;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Forwarding.Tcp;

/// <summary>
/// The L4 full proxy's kind of listener: one <see cref="TcpVserverListener"/> per enabled, addressable
/// TCP-type lb vserver in <c>-m IP</c> mode (a <c>-m MAC</c> one is the DSR path's). Its endpoints are TCP:
/// an HTTP or SSL vserver cannot share them, a UDP one can.
/// </summary>
public sealed class TcpListeners(TcpForwarder forwarder, ILogger<TcpListeners> logger) : IVserverListeners, IDisposable
{
    private readonly VserverSockets<TcpVserverListener> _sockets = new(ProtocolType.Tcp, logger);

    public bool Claims(IListeningVserver vserver) =>
        vserver is LbListeningVserver { Config: { Mode: RedirectionMode.Ip } config } && config.Type.IsL4Tcp();

    public void Reconcile(RuntimeModel model, IReadOnlyList<IListeningVserver> vservers, ListenerPlan plan) =>
        _sockets.Reconcile(vservers.Cast<LbListeningVserver>(), plan, (endpoint, v) => TcpVserverListener.Start(endpoint, v, forwarder, logger));

    public IPEndPoint? EndPointOf(string vserver) => _sockets.EndPointOf(vserver);

    /// <summary>Closes the listening sockets; relays already running go on until they end (the engine drains them).</summary>
    public void StopAccepting() => _sockets.Dispose();

    public void Dispose() => _sockets.Dispose();
}
