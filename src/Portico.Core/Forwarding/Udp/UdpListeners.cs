using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Portico.Listeners;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Forwarding.Udp;

/// <summary>
/// The UDP kind of listener: one <see cref="UdpVserverListener"/> per enabled, addressable UDP-type lb
/// vserver in <c>-m IP</c> mode. Its endpoints are UDP, so a TCP vserver may listen on the same address and
/// port. It also closes the sessions a rule applied later covers.
/// </summary>
public sealed class UdpListeners(UdpSessionPolicies policies, ILogger<UdpListeners> logger)
    : IVserverListeners, IEstablishedConnections, IDisposable
{
    private readonly VserverSockets<UdpVserverListener> _sockets = new(ProtocolType.Udp, logger);

    public bool Claims(IListeningVserver vserver) =>
        vserver is LbListeningVserver { Config: { Mode: RedirectionMode.Ip } config } && config.Type.IsUdp();

    public void Reconcile(RuntimeModel model, IReadOnlyList<IListeningVserver> vservers, ListenerPlan plan) =>
        _sockets.Reconcile(vservers.Cast<LbListeningVserver>(), plan, (endpoint, v) => UdpVserverListener.Start(endpoint, v, policies, logger));

    public IPEndPoint? EndPointOf(string vserver) => _sockets.EndPointOf(vserver);

    /// <summary>Closes the UDP sessions <paramref name="covered"/> names (TCP relays are in the connection table).</summary>
    public int Cut(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> covered, string reason) =>
        _sockets.Open.Sum(l => l.CloseSessions(covered));

    /// <summary>Closes the sockets and their sessions: UDP has no connection to finish.</summary>
    public void StopAccepting() => _sockets.Dispose();

    public void Dispose() => _sockets.Dispose();
}
