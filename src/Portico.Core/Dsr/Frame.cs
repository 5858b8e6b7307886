using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;

namespace Portico.Dsr;

/// <summary>
/// Offsets and helpers for the Ethernet, IPv4 and ARP headers the DSR path reads and writes. IPv4
/// addresses are <see cref="uint"/> in host order (as read big-endian from the wire) and MAC addresses
/// the low 48 bits of a <see cref="ulong"/>, so the data path compares numbers, never objects.
/// </summary>
internal static class Frame
{
    public const int EthDst = 0;
    public const int EthSrc = 6;
    public const int EthType = 12;
    public const int EthHeader = 14;
    public const ushort TypeIpv4 = 0x0800;
    public const ushort TypeArp = 0x0806;

    public const int IpVersionIhl = 14;
    public const int IpFlagsFragment = 20;
    public const int IpProtocol = 23;
    public const int IpSource = 26;
    public const int IpDestination = 30;

    public const int ArpOp = 20;
    public const int ArpSenderMac = 22;
    public const int ArpSenderIp = 28;
    public const int ArpTargetMac = 32;
    public const int ArpTargetIp = 38;

    /// <summary>An ARP frame padded to Ethernet's 60-byte minimum.</summary>
    public const int ArpFrameLength = 60;

    public const ulong Broadcast = 0xFFFF_FFFF_FFFFUL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadMac(ReadOnlySpan<byte> at) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(at) << 32) | BinaryPrimitives.ReadUInt32BigEndian(at[2..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteMac(Span<byte> at, ulong mac)
    {
        BinaryPrimitives.WriteUInt16BigEndian(at, (ushort)(mac >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(at[2..], (uint)mac);
    }

    public static ulong ParseMac(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 6)
        {
            return 0;
        }

        ulong mac = 0;
        foreach (var p in parts)
        {
            mac = (mac << 8) | byte.Parse(p, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        return mac;
    }

    public static string FormatMac(ulong mac) => string.Join(':', Enumerable.Range(0, 6).Select(i => ((byte)(mac >> (40 - (8 * i)))).ToString("x2", CultureInfo.InvariantCulture)));

    public static uint FromAddress(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(b);
    }

    public static IPAddress ToAddress(uint address)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, address);
        return new IPAddress(b);
    }

    /// <summary>Writes an ARP frame (RFC 826) for IPv4 over Ethernet into <paramref name="f"/>; returns its length.</summary>
    public static int WriteArp(Span<byte> f, ushort op, ulong ethDst, ulong senderMac, uint senderIp, ulong targetMac, uint targetIp)
    {
        f[..ArpFrameLength].Clear();
        WriteMac(f[EthDst..], ethDst);
        WriteMac(f[EthSrc..], senderMac);
        BinaryPrimitives.WriteUInt16BigEndian(f[EthType..], TypeArp);
        BinaryPrimitives.WriteUInt16BigEndian(f[14..], 1);      // hardware: Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(f[16..], TypeIpv4);
        f[18] = 6;
        f[19] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(f[ArpOp..], op);
        WriteMac(f[ArpSenderMac..], senderMac);
        BinaryPrimitives.WriteUInt32BigEndian(f[ArpSenderIp..], senderIp);
        WriteMac(f[ArpTargetMac..], targetMac);
        BinaryPrimitives.WriteUInt32BigEndian(f[ArpTargetIp..], targetIp);
        return ArpFrameLength;
    }
}
