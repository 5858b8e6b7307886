using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Portico.Dsr;
using Portico.Dsr.Native;

namespace Portico.HighAvailability;

/// <summary>
/// Gratuitous ARP sent by this process: an unsolicited ARP request for the address from this node's MAC (what
/// <c>arping -U</c> sends), written to the uplink through an AF_PACKET socket. A spawned arping put 20-250 ms
/// between the takeover and the first announcement on a loaded 2-core machine (bench/ha), and every one of
/// those milliseconds was time without service: the clients still sent to the old primary's MAC.
/// </summary>
internal static unsafe class GratuitousArp
{
    private const ushort EthPArp = 0x0806;

    /// <summary>Announces <paramref name="address"/> once on <paramref name="nic"/>; an error, or null (also when the link has no ARP).</summary>
    public static string? Send(string nic, IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }

        int index;
        ulong mac;
        try
        {
            var dir = Path.Combine("/sys/class/net", nic);
            index = int.Parse(File.ReadAllText(Path.Combine(dir, "ifindex")).Trim(), CultureInfo.InvariantCulture);
            mac = Frame.ParseMac(File.ReadAllText(Path.Combine(dir, "address")).Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return $"gratuitous ARP for {address} on {nic}: cannot read the interface ({e.Message})";
        }

        if (mac == 0)
        {
            // Loopback and other links without Ethernet addresses have no neighbours to tell.
            return null;
        }

        Span<byte> frame = stackalloc byte[Frame.ArpFrameLength];
        var ip = Frame.FromAddress(address);
        Frame.WriteArp(frame, 1, Frame.Broadcast, mac, ip, 0, ip);
        var fd = PacketNative.Socket(PacketNative.AF_PACKET, PacketNative.SOCK_RAW | PacketNative.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return Failed(address, nic, "cannot open a packet socket (needs root or CAP_NET_RAW)");
        }

        try
        {
            var to = new PacketNative.SockAddrLl { Family = PacketNative.AF_PACKET, Protocol = BinaryPrimitives.ReverseEndianness(EthPArp), IfIndex = index };
            if (PacketNative.Bind(fd, &to, sizeof(PacketNative.SockAddrLl)) != 0)
            {
                return Failed(address, nic, "cannot bind a packet socket");
            }

            fixed (byte* p = frame)
            {
                return PacketNative.Send(fd, p, (nuint)frame.Length, 0) < 0 ? Failed(address, nic, "send failed") : null;
            }
        }
        finally
        {
            PacketNative.Close(fd);
        }
    }

    private static string Failed(IPAddress address, string nic, string what) =>
        $"gratuitous ARP for {address} on {nic}: {what}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
}
