using System.Buffers.Binary;
using System.Net;
using System.Numerics;
using System.Text;

namespace Portico.ClientIp.ProxyProtocol;

/// <summary>What the bytes received so far amount to.</summary>
public enum ProxyParseStatus
{
    /// <summary>A whole, valid header: its length is known, the bytes after it are the client's data.</summary>
    Complete,

    /// <summary>A valid beginning; wait for more bytes (within the time and size bounds).</summary>
    NeedMore,

    /// <summary>The connection does not start with a PROXY header at all.</summary>
    Missing,

    /// <summary>A header that breaks the specification: the connection must be closed.</summary>
    Malformed,
}

/// <summary>
/// A strict decoder of PROXY protocol headers, versions 1 and 2 (HAProxy's proxy-protocol.txt). It reads
/// only the bytes it is given, never more than <c>maxLength</c> of them, and says whether they are a
/// complete header, the beginning of one, not one at all, or a broken one. Everything the specification
/// says "must" is enforced: exact spaces and CRLF, no leading zeros, canonical addresses, version and
/// command nibbles, address block sizes, TLVs that end exactly where the header ends, and the CRC32c
/// when the sender included one. No allocation happens unless the header is complete.
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>The longest version 1 line, CRLF included (section 2.1).</summary>
    public const int V1MaxLength = 107;

    /// <summary>The fixed part of a version 2 header: signature, version/command, family, length.</summary>
    public const int V2FixedLength = 16;

    /// <summary>The 12-byte signature that starts a version 2 header.</summary>
    public static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    /// <summary>Decodes the header at the start of <paramref name="data"/>.</summary>
    /// <param name="maxLength">The longest header accepted (a version 2 header may announce up to 65,551 bytes).</param>
    /// <param name="header">The header when <see cref="ProxyParseStatus.Complete"/>.</param>
    /// <param name="length">Bytes the header takes when complete.</param>
    /// <param name="error">Why the bytes are not acceptable (<see cref="ProxyParseStatus.Missing"/>, <see cref="ProxyParseStatus.Malformed"/>).</param>
    public static ProxyParseStatus Parse(ReadOnlySpan<byte> data, int maxLength, out ProxyHeader? header, out int length, out string? error)
    {
        header = null;
        length = 0;
        error = null;
        if (data.IsEmpty)
        {
            return ProxyParseStatus.NeedMore;
        }

        if (StartsLike(data, V2Signature))
        {
            return data.Length < V2Signature.Length
                ? ProxyParseStatus.NeedMore
                : ParseV2(data, maxLength, out header, out length, out error);
        }

        if (StartsLike(data, V1Prefix))
        {
            return data.Length < V1Prefix.Length
                ? ProxyParseStatus.NeedMore
                : ParseV1(data, out header, out length, out error);
        }

        error = "the connection does not start with a PROXY protocol header";
        return ProxyParseStatus.Missing;
    }

    /// <summary>True when the bytes so far agree with <paramref name="prefix"/> (a shorter input is a possible start).</summary>
    private static bool StartsLike(ReadOnlySpan<byte> data, ReadOnlySpan<byte> prefix)
    {
        var n = Math.Min(data.Length, prefix.Length);
        return data[..n].SequenceEqual(prefix[..n]);
    }

    private static ProxyParseStatus ParseV1(ReadOnlySpan<byte> data, out ProxyHeader? header, out int length, out string? error)
    {
        header = null;
        length = 0;
        var window = data[..Math.Min(data.Length, V1MaxLength)];

        // A bare CR or LF never ends the line: only CRLF does (section 2.1).
        var end = -1;
        for (var i = 0; i < window.Length; i++)
        {
            if (window[i] == '\n')
            {
                if (i == 0 || window[i - 1] != '\r')
                {
                    return Malformed("version 1 line ends with LF without CR", out error);
                }

                end = i - 1;
                break;
            }

            if (window[i] == '\r' && i + 1 < window.Length && window[i + 1] != '\n')
            {
                return Malformed("version 1 line holds a CR not followed by LF", out error);
            }
        }

        if (end < 0)
        {
            error = null;
            return window.Length >= V1MaxLength
                ? Malformed($"no CRLF in the first {V1MaxLength} bytes of a version 1 line", out error)
                : ProxyParseStatus.NeedMore;
        }

        var line = data[V1Prefix.Length..end];
        length = end + 2;
        if (line.StartsWith("UNKNOWN"u8) && (line.Length == 7 || line[7] == ' '))
        {
            // The receiver must ignore whatever follows UNKNOWN and keep the real endpoints.
            header = new ProxyHeader(1, ProxyCommand.Proxy, null, null, []);
            error = null;
            return ProxyParseStatus.Complete;
        }

        Span<Range> fields = stackalloc Range[7];
        var count = Split(line, fields);
        if (count != 5)
        {
            return Malformed("version 1 line must be 'PROXY TCP4|TCP6 <src> <dst> <sport> <dport>' with single spaces", out error);
        }

        var proto = line[fields[0]];
        bool v6;
        if (proto.SequenceEqual("TCP4"u8))
        {
            v6 = false;
        }
        else if (proto.SequenceEqual("TCP6"u8))
        {
            v6 = true;
        }
        else
        {
            return Malformed($"unknown version 1 protocol '{Ascii(proto)}' (expected TCP4, TCP6 or UNKNOWN)", out error);
        }

        if (!TryAddress(line[fields[1]], v6, out var src) || !TryAddress(line[fields[2]], v6, out var dst))
        {
            return Malformed($"version 1 addresses are not canonical {(v6 ? "IPv6" : "IPv4")}", out error);
        }

        if (!TryPort(line[fields[3]], out var sport) || !TryPort(line[fields[4]], out var dport))
        {
            return Malformed("version 1 ports must be 0..65535 in decimal without leading zeros", out error);
        }

        header = new ProxyHeader(1, ProxyCommand.Proxy, new IPEndPoint(src, sport), new IPEndPoint(dst, dport), []);
        error = null;
        return ProxyParseStatus.Complete;
    }

    /// <summary>Splits on single spaces; an empty field (two spaces, a leading or trailing one) returns -1.</summary>
    private static int Split(ReadOnlySpan<byte> line, Span<Range> fields)
    {
        var count = 0;
        var start = 0;
        for (var i = 0; i <= line.Length; i++)
        {
            if (i < line.Length && line[i] != ' ')
            {
                continue;
            }

            if (i == start || count == fields.Length)
            {
                return -1;
            }

            fields[count++] = new Range(start, i);
            start = i + 1;
        }

        return count;
    }

    private static bool TryAddress(ReadOnlySpan<byte> text, bool v6, out IPAddress address)
    {
        address = IPAddress.None;
        if (!v6)
        {
            // Exactly four decimal numbers 0..255, no leading zeros (they would read as octal elsewhere).
            Span<byte> octets = stackalloc byte[4];
            var part = 0;
            var start = 0;
            for (var i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && text[i] != '.')
                {
                    continue;
                }

                if (part == 4 || !TryNumber(text[start..i], 255, out var n))
                {
                    return false;
                }

                octets[part++] = (byte)n;
                start = i + 1;
            }

            if (part != 4)
            {
                return false;
            }

            address = new IPAddress(octets);
            return true;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiHexDigit((char)c) || c is (byte)':' or (byte)'.'))
            {
                return false;
            }
        }

        return IPAddress.TryParse(Encoding.ASCII.GetString(text), out address!) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
    }

    private static bool TryPort(ReadOnlySpan<byte> text, out int port) => TryNumber(text, 65535, out port);

    private static bool TryNumber(ReadOnlySpan<byte> text, int max, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 5 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return value <= max;
    }

    private static ProxyParseStatus ParseV2(ReadOnlySpan<byte> data, int maxLength, out ProxyHeader? header, out int length, out string? error)
    {
        header = null;
        length = 0;
        if (data.Length < V2FixedLength)
        {
            // The version nibble can already be judged at byte 13.
            if (data.Length > 12 && data[12] >> 4 != 2)
            {
                return Malformed($"version 2 signature followed by version {data[12] >> 4}", out error);
            }

            error = null;
            return ProxyParseStatus.NeedMore;
        }

        var versionCommand = data[12];
        if (versionCommand >> 4 != 2)
        {
            return Malformed($"version 2 signature followed by version {versionCommand >> 4}", out error);
        }

        var command = versionCommand & 0x0F;
        if (command > 1)
        {
            return Malformed($"unassigned version 2 command 0x{command:X}", out error);
        }

        var family = data[13] >> 4;
        var transport = data[13] & 0x0F;
        if (family > 3 || transport > 2)
        {
            return Malformed($"unassigned version 2 family/protocol byte 0x{data[13]:X2}", out error);
        }

        var total = V2FixedLength + BinaryPrimitives.ReadUInt16BigEndian(data[14..]);
        if (total > maxLength)
        {
            return Malformed($"version 2 header of {total} bytes is longer than the {maxLength}-byte limit", out error);
        }

        if (data.Length < total)
        {
            error = null;
            return ProxyParseStatus.NeedMore;
        }

        var block = data[V2FixedLength..total];
        var addressLength = (family, transport) switch
        {
            (0, 0) => 0,
            (1, 1 or 2) => 12,
            (2, 1 or 2) => 36,
            (3, 1 or 2) => 216,

            // A combination the specification lists no layout for (an address family without a transport,
            // or the reverse): skip the whole block as UNSPEC, TLVs included, rather than misread it.
            _ => block.Length,
        };
        if (block.Length < addressLength)
        {
            return Malformed($"version 2 address block of {block.Length} bytes is shorter than its family needs ({addressLength})", out error);
        }

        var tlvs = new List<ProxyTlv>();
        var crcAt = -1;
        var at = addressLength;
        while (at < block.Length)
        {
            if (block.Length - at < 3)
            {
                return Malformed("version 2 header ends inside a TLV's type and length", out error);
            }

            var type = block[at];
            var len = BinaryPrimitives.ReadUInt16BigEndian(block[(at + 1)..]);
            var value = block.Slice(at + 3, Math.Min(len, block.Length - at - 3));
            if (value.Length < len)
            {
                return Malformed($"TLV 0x{type:X2} of {len} bytes runs past the end of the header", out error);
            }

            if (CheckTlv(type, value) is { } problem)
            {
                return Malformed(problem, out error);
            }

            if (type == ProxyTlvTypes.Crc32C)
            {
                if (crcAt >= 0)
                {
                    return Malformed("two CRC32c TLVs", out error);
                }

                crcAt = V2FixedLength + at + 3;
            }

            if (type != ProxyTlvTypes.Noop)
            {
                tlvs.Add(new ProxyTlv(type, value.ToArray()));
            }

            at += 3 + len;
        }

        if (crcAt >= 0 && !CrcMatches(data[..total], crcAt))
        {
            return Malformed("CRC32c of the version 2 header does not match", out error);
        }

        IPEndPoint? src = null;
        IPEndPoint? dst = null;
        if (command == 1 && transport == 1 && family is 1 or 2)
        {
            var size = family == 1 ? 4 : 16;
            src = new IPEndPoint(new IPAddress(block[..size]), BinaryPrimitives.ReadUInt16BigEndian(block[(2 * size)..]));
            dst = new IPEndPoint(new IPAddress(block[size..(2 * size)]), BinaryPrimitives.ReadUInt16BigEndian(block[((2 * size) + 2)..]));
        }

        // LOCAL, UNSPEC, UDP and UNIX: valid, but the receiver keeps the real endpoints (section 2.2).
        header = new ProxyHeader(2, command == 1 ? ProxyCommand.Proxy : ProxyCommand.Local, src, dst, tlvs);
        length = total;
        error = null;
        return ProxyParseStatus.Complete;
    }

    private static string? CheckTlv(byte type, ReadOnlySpan<byte> value)
    {
        switch (type)
        {
            case ProxyTlvTypes.Crc32C when value.Length != 4:
                return $"CRC32c TLV of {value.Length} bytes (expected 4)";
            case ProxyTlvTypes.UniqueId when value.Length > ProxyTlvTypes.MaxUniqueIdLength:
                return $"unique ID TLV of {value.Length} bytes (at most {ProxyTlvTypes.MaxUniqueIdLength})";
            case ProxyTlvTypes.Authority when !IsUtf8(value):
                return "authority TLV is not UTF-8";
            case ProxyTlvTypes.Ssl:
                return CheckSsl(value);
            default:
                return null;
        }
    }

    /// <summary><c>pp2_tlv_ssl</c>: a client byte, a 32-bit verify field, then sub-TLVs that fill it exactly.</summary>
    private static string? CheckSsl(ReadOnlySpan<byte> value)
    {
        if (value.Length < 5)
        {
            return $"SSL TLV of {value.Length} bytes (at least 5)";
        }

        var at = 5;
        while (at < value.Length)
        {
            if (value.Length - at < 3)
            {
                return "SSL TLV ends inside a sub-TLV's type and length";
            }

            var len = BinaryPrimitives.ReadUInt16BigEndian(value[(at + 1)..]);
            if (value.Length - at - 3 < len)
            {
                return $"SSL sub-TLV 0x{value[at]:X2} of {len} bytes runs past the SSL TLV";
            }

            at += 3 + len;
        }

        return null;
    }

    private static bool IsUtf8(ReadOnlySpan<byte> value) => System.Text.Unicode.Utf8.IsValid(value);

    /// <summary>The CRC32c (RFC 4960 appendix B) of the header with its checksum field zeroed, compared with that field.</summary>
    private static bool CrcMatches(ReadOnlySpan<byte> header, int crcAt)
    {
        var expected = BinaryPrimitives.ReadUInt32BigEndian(header[crcAt..]);
        return Crc32C(header, crcAt) == expected;
    }

    /// <summary>CRC32c of <paramref name="header"/> reading the 4 bytes at <paramref name="zeroedAt"/> as zeros.</summary>
    internal static uint Crc32C(ReadOnlySpan<byte> header, int zeroedAt)
    {
        var crc = 0xFFFFFFFFu;
        for (var i = 0; i < header.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, i >= zeroedAt && i < zeroedAt + 4 ? (byte)0 : header[i]);
        }

        return ~crc;
    }

    private static ProxyParseStatus Malformed(string message, out string? error)
    {
        error = message;
        return ProxyParseStatus.Malformed;
    }

    private static string Ascii(ReadOnlySpan<byte> text) =>
        string.Create(text.Length, text.ToArray(), (span, bytes) =>
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                span[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : '?';
            }
        });
}
