using System.Net;
using System.Net.Sockets;

namespace Portico.Testing;

/// <summary>
/// Loopback ports for test vservers, taken below the kernel's ephemeral range (see
/// <c>/proc/sys/net/ipv4/ip_local_port_range</c>). A port the kernel handed out as ephemeral can be taken
/// again at once as the source port of some other test's outgoing connection, and then the vserver
/// cannot bind it; ports below the range are never used that way.
/// </summary>
public static class Ports
{
    private const int First = 20000;
    private const int Last = 32000;
    private static int _next = First + Random.Shared.Next(Last - First);

    /// <summary>A TCP port free right now on 127.0.0.1.</summary>
    public static int Free() => Take(SocketType.Stream, ProtocolType.Tcp);

    /// <summary>A UDP port free right now on 127.0.0.1.</summary>
    public static int FreeUdp() => Take(SocketType.Dgram, ProtocolType.Udp);

    /// <summary>Whether something accepts TCP connections on 127.0.0.1:<paramref name="port"/> now (a server under test has started).</summary>
    public static bool Listening(int port)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            s.Connect(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int Take(SocketType type, ProtocolType protocol)
    {
        for (var attempt = 0; attempt < Last - First; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _next) - First) % (Last - First);
            using var s = new Socket(AddressFamily.InterNetwork, type, protocol);
            try
            {
                s.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException($"no free port between {First} and {Last} on 127.0.0.1");
    }
}
