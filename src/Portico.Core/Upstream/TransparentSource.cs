using System.Net;
using System.Net.Sockets;
using Portico.Upstream;

namespace Portico.Upstream;

/// <summary>
/// USIP: a server connection whose source is the client's address, through <c>IP_TRANSPARENT</c>
/// (<c>IPV6_TRANSPARENT</c>), which lets a socket bind an address the host does not own. It needs
/// CAP_NET_ADMIN, and replies from the server must be routed back to this host and delivered to the socket
/// (docs/design/client-ip.md: the TPROXY policy route on Portico, the route back on the servers).
/// </summary>
internal static class TransparentSource
{
    private const int SolIp = 0;
    private const int SolIpv6 = 41;
    private const int IpTransparent = 19;
    private const int Ipv6Transparent = 75;
    private static readonly byte[] One = [1, 0, 0, 0];

    /// <summary>
    /// Binds <paramref name="socket"/> to the client's address: with <paramref name="useProxyPort"/> the
    /// kernel picks the port at connect (one port space per client address and server), else the client's own port.
    /// </summary>
    public static void Bind(Socket socket, IPEndPoint client, bool useProxyPort, IPEndPoint server)
    {
        var v4 = client.AddressFamily == AddressFamily.InterNetwork;
        try
        {
            socket.SetRawSocketOption(v4 ? SolIp : SolIpv6, v4 ? IpTransparent : Ipv6Transparent, One);
        }
        catch (SocketException e)
        {
            throw new SourceAddressException(SourceProblem.AddressUnusable, e.SocketErrorCode,
                $"with USIP from client {client.Address} to {server}",
                "USIP needs CAP_NET_ADMIN (IP_TRANSPARENT): run Portico as root or grant it the capability, or set -usip NO");
        }

        try
        {
            if (useProxyPort)
            {
                SourceBind.AddressOnly(socket, client.Address);
            }
            else
            {
                // Two connections of one client ip:port to two vservers may reach the same server: the
                // kernel still keeps their 4-tuples apart, so let both bind.
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(client);
            }
        }
        catch (SocketException e)
        {
            throw new SourceAddressException(SourceProblem.AddressUnusable, e.SocketErrorCode,
                $"with USIP from client {client} to {server}", $"binding the client's address failed ({e.SocketErrorCode})");
        }
    }
}
