using System.Net.Sockets;

namespace Portico.Health;

/// <summary>
/// Whether this process may send ICMP echo requests. PING monitors need a raw ICMP socket: root, or
/// CAP_NET_RAW. Checked once; .NET's <see cref="System.Net.NetworkInformation.Ping"/> would otherwise fall back
/// to starting the ping program for every probe, which Portico does not want at 10 probes a second.
/// </summary>
internal static class IcmpPermission
{
    private static readonly Lazy<bool> Check = new(() =>
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    });

    public static bool Allowed => Check.Value;

    public const string Explanation =
        "PING monitors send ICMP echo requests, which needs a raw socket, and this process may not open one; run Portico as root or give it CAP_NET_RAW (setcap cap_net_raw+ep), or use a TCP monitor";
}
