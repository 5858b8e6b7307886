using System.Net;
using System.Net.Sockets;
using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>
/// A check run when a connection is accepted, before a byte is read from it (and before a TLS handshake),
/// or when a UDP datagram arrives that belongs to no session: simple ACLs, extended ACLs and GeoIP rules
/// plug in here, in the order they are registered.
/// </summary>
public interface IAdmissionPolicy
{
    /// <summary>Null to let the connection through, or the reason it is denied (for counters and logs).</summary>
    /// <param name="client">The client's address and port (PROXY protocol may replace the socket's peer).</param>
    /// <param name="local">The address and port the client reached (the VIP).</param>
    /// <param name="vserver">The vserver of the listener.</param>
    /// <param name="protocol"><see cref="ProtocolType.Tcp"/> or <see cref="ProtocolType.Udp"/>.</param>
    string? Deny(IPEndPoint client, IPEndPoint local, VserverRuntime vserver, ProtocolType protocol);
}
