using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Portico.ContentSwitching;
using Portico.Listeners;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Forwarding.Tcp;

/// <summary>
/// The L4 full proxy's kind of listener: one <see cref="TcpVserverListener"/> per enabled, addressable
/// TCP-type lb vserver in <c>-m IP</c> mode (a <c>-m MAC</c> one is the DSR path's), and per TCP cs vserver, whose
/// connections go on to the lb vserver its table chooses by the connection's addresses. Its endpoints are TCP:
/// a UDP vserver on the same address and port is the UDP listeners' to serve.
/// </summary>
public sealed class TcpListeners(TcpForwarder forwarder, ILogger<TcpListeners> logger) : IVserverListeners, IDisposable
{
    private readonly VserverSockets<TcpVserverListener> _sockets = new(ProtocolType.Tcp, logger);

    public bool Claims(IListeningVserver vserver) =>
        vserver is LbListeningVserver { Config: { Mode: RedirectionMode.Ip } config } && config.Type.IsL4Tcp()
        || vserver is CsListeningVserver { Type: ServiceType.Tcp };

    public void Reconcile(RuntimeModel model, IReadOnlyList<IListeningVserver> vservers, ListenerPlan plan)
    {
        var switches = vservers.OfType<CsListeningVserver>().ToFrozenDictionary(v => v.Name, v => Switch(model, v.Runtime), StringComparer.Ordinal);
        _sockets.Reconcile(vservers, v => v is CsListeningVserver cs ? cs.Runtime.Front : ((LbListeningVserver)v).Runtime, plan,
            (endpoint, v) => TcpVserverListener.Start(endpoint, v, switches.GetValueOrDefault(v.Name), forwarder, logger));

        // A socket kept across the change routes its new connections with the new table.
        foreach (var socket in _sockets.Open)
        {
            socket.Switch = switches.GetValueOrDefault(socket.Vserver.Name);
        }
    }

    public IPEndPoint? EndPointOf(string vserver) => _sockets.EndPointOf(vserver);

    /// <summary>Closes the listening sockets; relays already running go on until they end (the engine drains them).</summary>
    public void StopAccepting() => _sockets.Dispose();

    public void Dispose() => _sockets.Dispose();

    private static CsRouter<VserverRuntime> Switch(RuntimeModel model, CsVserverRuntime cs)
    {
        VserverRuntime? Target(string? name) => name is not null && model.Vservers.TryGetValue(name, out var v) && v.Config.Type == ServiceType.Tcp ? v : null;
        return new CsRouter<VserverRuntime>(cs, [.. cs.Table.Entries.Select(e => Target(e.Target))], Target(cs.Table.DefaultTarget));
    }
}
