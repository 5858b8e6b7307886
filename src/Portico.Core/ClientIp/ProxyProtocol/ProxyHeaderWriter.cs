using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Net;
using System.Text;
using Portico.Runtime;

namespace Portico.ClientIp.ProxyProtocol;

/// <summary>
/// Builds the PROXY protocol header Portico sends first on a server connection: version 1 text or version
/// 2 binary, for TCP over IPv4 or IPv6. A header is at most a few dozen bytes (plus TLVs), always sent
/// in one write before any client byte, as the specification asks.
/// </summary>
public static class ProxyHeaderWriter
{
    /// <summary>The header describing <paramref name="client"/>.</summary>
    public static byte[] For(ProxyProtocolVersion version, ProxiedClient client) => version == ProxyProtocolVersion.V1
        ? V1(client.Client, client.Destination)
        : V2(ProxyCommand.Proxy, client.Client, client.Destination, client.Tlvs);

    /// <summary>
    /// The header of a health check: version 1 names the probe's own endpoints (a receiver may refuse
    /// <c>UNKNOWN</c>, section 2.1); version 2 sends the <c>LOCAL</c> command, meant for exactly this.
    /// </summary>
    public static byte[] ForHealthCheck(ProxyProtocolVersion version, IPEndPoint local, IPEndPoint remote) => version == ProxyProtocolVersion.V1
        ? V1(local, remote)
        : V2(ProxyCommand.Local, null, null, []);

    /// <summary><c>PROXY TCP4|TCP6 src dst sport dport\r\n</c>; <c>PROXY UNKNOWN\r\n</c> when the families differ.</summary>
    public static byte[] V1(IPEndPoint source, IPEndPoint destination)
    {
        var (src, dst) = (Unmap(source.Address), Unmap(destination.Address));
        if (src.AddressFamily != dst.AddressFamily)
        {
            return "PROXY UNKNOWN\r\n"u8.ToArray();
        }

        var family = src.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6";
        return Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"PROXY {family} {src} {dst} {source.Port} {destination.Port}\r\n"));
    }

    /// <summary>A version 2 header; <c>AF_UNSPEC</c> when there are no addresses or their families differ.</summary>
    public static byte[] V2(ProxyCommand command, IPEndPoint? source, IPEndPoint? destination, IReadOnlyList<ProxyTlv> tlvs)
    {
        var src = source is null ? null : Unmap(source.Address);
        var dst = destination is null ? null : Unmap(destination.Address);
        var family = src is null || dst is null || src.AddressFamily != dst.AddressFamily ? 0
            : src.AddressFamily == AddressFamily.InterNetwork ? 1 : 2;
        var addressLength = family switch { 1 => 12, 2 => 36, _ => 0 };
        var tlvLength = tlvs.Sum(t => 3 + t.Value.Length);
        var header = new byte[ProxyHeaderParser.V2FixedLength + addressLength + tlvLength];
        ProxyHeaderParser.V2Signature.CopyTo(header);
        header[12] = (byte)(0x20 | (command == ProxyCommand.Proxy ? 1 : 0));
        header[13] = (byte)(family == 0 ? 0x00 : (family << 4) | 0x1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)(addressLength + tlvLength));
        var at = ProxyHeaderParser.V2FixedLength;
        if (family != 0)
        {
            var size = family == 1 ? 4 : 16;
            src!.TryWriteBytes(header.AsSpan(at), out _);
            dst!.TryWriteBytes(header.AsSpan(at + size), out _);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(at + (2 * size)), (ushort)source!.Port);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(at + (2 * size) + 2), (ushort)destination!.Port);
            at += addressLength;
        }

        foreach (var tlv in tlvs)
        {
            header[at] = tlv.Type;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(at + 1), (ushort)tlv.Value.Length);
            tlv.Value.CopyTo(header.AsSpan(at + 3));
            at += 3 + tlv.Value.Length;
        }

        return header;
    }

    /// <summary>Adds a CRC32c TLV to a version 2 header (RFC 4960 checksum over the header with the field zeroed).</summary>
    public static byte[] WithCrc32C(byte[] v2Header)
    {
        var header = new byte[v2Header.Length + 7];
        v2Header.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)(header.Length - ProxyHeaderParser.V2FixedLength));
        header[v2Header.Length] = ProxyTlvTypes.Crc32C;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(v2Header.Length + 1), 4);
        var crcAt = v2Header.Length + 3;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(crcAt), ProxyHeaderParser.Crc32C(header, crcAt));
        return header;
    }

    /// <summary>The <c>PP2_TYPE_SSL</c> TLV of a client that connected over TLS (no client certificate).</summary>
    /// <param name="version">The TLS version, as OpenSSL names it (<c>TLSv1.3</c>).</param>
    /// <param name="cipher">The cipher suite's name, or null.</param>
    public static ProxyTlv Ssl(string version, string? cipher)
    {
        var sub = new List<ProxyTlv> { new(ProxyTlvTypes.SslVersion, Encoding.ASCII.GetBytes(version)) };
        if (cipher is not null)
        {
            sub.Add(new ProxyTlv(ProxyTlvTypes.SslCipher, Encoding.ASCII.GetBytes(cipher)));
        }

        var value = new byte[5 + sub.Sum(t => 3 + t.Value.Length)];
        value[0] = ProxyTlvTypes.ClientSsl;

        // verify: zero only when a client certificate was presented and verified (section 2.2.6); Portico asks for none.
        BinaryPrimitives.WriteUInt32BigEndian(value.AsSpan(1), 1);
        var at = 5;
        foreach (var t in sub)
        {
            value[at] = t.Type;
            BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(at + 1), (ushort)t.Value.Length);
            t.Value.CopyTo(value.AsSpan(at + 3));
            at += 3 + t.Value.Length;
        }

        return new ProxyTlv(ProxyTlvTypes.Ssl, value);
    }

    /// <summary>IPv4-mapped IPv6 as IPv4, and no scope id (<c>fe80::1%2</c> is not a canonical address).</summary>
    private static IPAddress Unmap(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes())
        : address;
}
