using System.Net;
using System.Net.Sockets;

namespace Portico.Upstream;

/// <summary>Binds the source address of a server connection now, and leaves its port to connect().</summary>
internal static class SourceBind
{
    // IP_BIND_ADDRESS_NO_PORT (linux/in.h, honoured by IPv6 sockets too): with the port chosen at connect(),
    // the port space is per destination rather than shared by every connection from this address.
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;
    private static readonly byte[] One = [1, 0, 0, 0];

    /// <exception cref="SocketException">The address is not one this socket may bind.</exception>
    public static void AddressOnly(Socket socket, IPAddress address)
    {
        socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, One);
        socket.Bind(new IPEndPoint(address, 0));
    }
}
