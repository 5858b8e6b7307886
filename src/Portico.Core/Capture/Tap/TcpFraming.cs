using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Portico.Capture.Tap;

/// <summary>
/// Builds the IPv4 or IPv6 + TCP packets the decrypted tap writes: real addresses and ports, sequence and
/// acknowledgement numbers that follow the bytes, valid checksums, so that Wireshark's "Follow TCP Stream"
/// and its HTTP dissector read the plaintext as if it had crossed a wire. They never did: these packets
/// are synthesized from what Portico read and wrote on each socket.
/// </summary>
internal static class TcpFraming
{
    public const byte Fin = 0x01;
    public const byte Syn = 0x02;
    public const byte Rst = 0x04;
    public const byte Psh = 0x08;
    public const byte Ack = 0x10;

    private const int TcpHeader = 20;

    /// <summary>The most payload one synthesized segment carries (an IPv4 packet holds at most 65,535 bytes).</summary>
    public const int MaxPayload = 65535 - 20 - TcpHeader;

    /// <summary>Room for the largest packet <see cref="Build"/> makes.</summary>
    public const int MaxPacket = 40 + TcpHeader + MaxPayload;

    /// <summary>Writes one segment into <paramref name="packet"/>; returns its length.</summary>
    public static int Build(Span<byte> packet, TapEndpoint source, TapEndpoint destination, uint seq, uint ack, byte flags, ReadOnlySpan<byte> payload)
    {
        var v6 = source.IsV6;
        var ipLength = v6 ? 40 : 20;
        var tcpLength = TcpHeader + payload.Length;
        var total = ipLength + tcpLength;
        var ip = packet[..ipLength];
        if (v6)
        {
            ip.Clear();
            ip[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)tcpLength);
            ip[6] = (byte)ProtocolType.Tcp;
            ip[7] = 64;
            source.Address.CopyTo(ip[8..24]);
            destination.Address.CopyTo(ip[24..40]);
        }
        else
        {
            ip[0] = 0x45;
            ip[1] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)total);
            BinaryPrimitives.WriteUInt32BigEndian(ip[4..], 0x4000); // id 0, don't fragment
            ip[8] = 64;
            ip[9] = (byte)ProtocolType.Tcp;
            ip[10] = 0;
            ip[11] = 0;
            source.Address.CopyTo(ip[12..16]);
            destination.Address.CopyTo(ip[16..20]);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip, 0));
        }

        var tcp = packet.Slice(ipLength, tcpLength);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], (ushort)destination.Port);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], (flags & Ack) != 0 ? ack : 0);
        tcp[12] = TcpHeader / 4 << 4;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[16..], 0); // checksum, urgent pointer
        payload.CopyTo(tcp[TcpHeader..]);

        // The checksum covers a pseudo-header of both addresses, the protocol and the TCP length (RFC 9293 3.1, RFC 8200 8.1).
        var sum = Sum(source.Address, 0) + Sum(destination.Address, 0) + (uint)ProtocolType.Tcp + (uint)tcpLength;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], Checksum(tcp, sum));
        return total;
    }

    private static ushort Checksum(ReadOnlySpan<byte> data, uint initial)
    {
        var sum = Sum(data, initial);
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        var result = (ushort)~sum;
        return result == 0 ? (ushort)0xFFFF : result;
    }

    private static uint Sum(ReadOnlySpan<byte> data, uint sum)
    {
        ulong acc = sum;
        var i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            acc += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
        }

        for (; i + 2 <= data.Length; i += 2)
        {
            acc += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            acc += (uint)data[i] << 8;
        }

        while (acc >> 16 != 0)
        {
            acc = (acc & 0xFFFF) + (acc >> 16);
        }

        return (uint)acc;
    }
}

/// <summary>One end of a synthesized connection: the address bytes (IPv4-mapped addresses as IPv4) and the port.</summary>
internal sealed class TapEndpoint
{
    public TapEndpoint(IPEndPoint endpoint)
    {
        var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        Address = address.GetAddressBytes();
        Port = endpoint.Port;
    }

    public byte[] Address { get; }

    public int Port { get; }

    public bool IsV6 => Address.Length == 16;
}
