using System.Net;
using System.Net.Sockets;

namespace Portico.Testing;

/// <summary>Loopback ports for test vservers.</summary>
public static class Ports
{
    /// <summary>A port free right now on 127.0.0.1 (the kernel picked it; tests bind it at once).</summary>
    public static int Free()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>A UDP port free right now on 127.0.0.1.</summary>
    public static int FreeUdp()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
