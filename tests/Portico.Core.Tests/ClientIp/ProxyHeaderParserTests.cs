using System.Net;
using System.Text;
using Portico.ClientIp.ProxyProtocol;
using Portico.ClientIp;
using Portico.Runtime;

namespace Portico.Core.Tests.ClientIp;

public sealed class ProxyHeaderParserTests
{
    private const int Max = 4096;

    private static ProxyParseStatus Parse(byte[] data, out ProxyHeader? header, out int length, out string? error) =>
        ProxyHeaderParser.Parse(data, Max, out header, out length, out error);

    private static ProxyParseStatus Parse(string text, out ProxyHeader? header, out int length, out string? error) =>
        Parse(Encoding.ASCII.GetBytes(text), out header, out length, out error);

    [Fact]
    public void A_version_1_line_names_the_client_and_ends_at_its_crlf()
    {
        var text = "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nGET / HTTP/1.1\r\n";
        Assert.Equal(ProxyParseStatus.Complete, Parse(text, out var h, out var length, out _));
        Assert.Equal(text.IndexOf("GET", StringComparison.Ordinal), length);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.0.1"), 56324), h!.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.0.11"), 443), h.Destination);
        Assert.Equal(1, h.Version);
    }

    [Fact]
    public void A_version_1_tcp6_line_and_the_longest_unknown_line_are_accepted()
    {
        Assert.Equal(ProxyParseStatus.Complete, Parse("PROXY TCP6 2001:db8::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 0 65535\r\n", out var h, out _, out _));
        Assert.Equal(IPAddress.Parse("2001:db8::1"), h!.Source!.Address);
        Assert.Equal(65535, h.Destination!.Port);

        var longest = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
        Assert.Equal(107, longest.Length);
        Assert.Equal(ProxyParseStatus.Complete, Parse(longest, out h, out var length, out _));
        Assert.Equal(107, length);
        Assert.False(h!.HasAddresses);
        Assert.Equal(ProxyParseStatus.Complete, Parse("PROXY UNKNOWN\r\n", out h, out _, out _));
        Assert.False(h!.HasAddresses);
    }

    [Theory]
    [InlineData("P")]
    [InlineData("PROXY")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r")]
    public void A_valid_beginning_waits_for_more(string text) =>
        Assert.Equal(ProxyParseStatus.NeedMore, Parse(text, out _, out _, out _));

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n")]
    [InlineData("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n")]
    public void Anything_else_is_a_missing_header(string text) =>
        Assert.Equal(ProxyParseStatus.Missing, Parse(text, out _, out _, out _));

    [Fact]
    public void A_tls_client_hello_is_a_missing_header() =>
        Assert.Equal(ProxyParseStatus.Missing, Parse([0x16, 0x03, 0x01, 0x02, 0x00], out _, out _, out _));

    [Theory]
    [InlineData("PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n", "single spaces")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", "single spaces")]
    [InlineData("PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n", "canonical")]
    [InlineData("PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n", "canonical")]
    [InlineData("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", "canonical")]
    [InlineData("PROXY TCP4 ::1 ::1 1 2\r\n", "canonical")]
    [InlineData("PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n", "canonical")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n", "ports")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n", "ports")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n", "ports")]
    [InlineData("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n", "unknown version 1 protocol")]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", "LF without CR")]
    [InlineData("PROXY TCP4 1.2.3.4\r5.6.7.8 1 2\r\n", "CR not followed by LF")]
    public void A_version_1_line_that_breaks_the_specification_is_malformed(string text, string why)
    {
        Assert.Equal(ProxyParseStatus.Malformed, Parse(text, out _, out _, out var error));
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_1_line_without_crlf_in_107_bytes_is_malformed()
    {
        Assert.Equal(ProxyParseStatus.Malformed, Parse("PROXY UNKNOWN " + new string('a', 200), out _, out _, out var error));
        Assert.Contains("107", error, StringComparison.Ordinal);
    }

    [Fact]
    public void HAProxys_version_2_header_from_a_capture_decodes()
    {
        // A header HAProxy sent (send-proxy-v2), as captured with netcat: 172.19.0.1:42578 -> 172.19.0.3:80, then "GET ".
        var bytes = Convert.FromHexString("0D0A0D0A000D0A515549540A2111000CAC130001AC130003A652005047455420");
        Assert.Equal(ProxyParseStatus.Complete, Parse(bytes, out var h, out var length, out _));
        Assert.Equal(28, length);
        Assert.Equal(ProxyCommand.Proxy, h!.Command);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("172.19.0.1"), 42578), h.Source);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("172.19.0.3"), 80), h.Destination);
    }

    [Fact]
    public void Version_2_headers_written_by_Portico_read_back_with_their_tlvs()
    {
        var client = new ProxiedClient(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 40000), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 443))
        {
            Tlvs = [new ProxyTlv(ProxyTlvTypes.Alpn, "h2"u8.ToArray()), new ProxyTlv(ProxyTlvTypes.Authority, "www.example.com"u8.ToArray()),
                ProxyHeaderWriter.Ssl("TLSv1.3", "TLS_AES_128_GCM_SHA256")],
        };
        var bytes = ProxyHeaderWriter.WithCrc32C(ProxyHeaderWriter.For(ProxyProtocolVersion.V2, client));
        Assert.Equal(ProxyParseStatus.Complete, Parse(bytes, out var h, out var length, out _));
        Assert.Equal(bytes.Length, length);
        Assert.Equal(client.Client, h!.Source);
        Assert.Equal(client.Destination, h.Destination);
        Assert.Equal("www.example.com", h.Authority);
        Assert.Equal("h2"u8.ToArray(), h.Tlv(ProxyTlvTypes.Alpn));
        Assert.NotNull(h.Tlv(ProxyTlvTypes.Ssl));
        Assert.NotNull(h.Tlv(ProxyTlvTypes.Crc32C));
    }

    [Fact]
    public void The_crc32c_is_rfc_4960s_and_a_flipped_bit_is_caught()
    {
        // The standard check value of CRC-32C over "123456789".
        Assert.Equal(0xE3069283u, ProxyHeaderParser.Crc32C("123456789"u8, 100));

        var bytes = ProxyHeaderWriter.WithCrc32C(ProxyHeaderWriter.V2(ProxyCommand.Proxy,
            new IPEndPoint(IPAddress.Parse("10.1.2.3"), 1234), new IPEndPoint(IPAddress.Parse("10.0.0.1"), 80), []));
        Assert.Equal(ProxyParseStatus.Complete, Parse(bytes, out _, out _, out _));
        bytes[17] ^= 0x01;
        Assert.Equal(ProxyParseStatus.Malformed, Parse(bytes, out _, out _, out var error));
        Assert.Contains("CRC32c", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_2_header_arriving_a_byte_at_a_time_completes_only_with_its_last_byte()
    {
        var bytes = ProxyHeaderWriter.V2(ProxyCommand.Proxy, new IPEndPoint(IPAddress.Parse("10.1.2.3"), 1234), new IPEndPoint(IPAddress.Parse("10.0.0.1"), 80),
            [new ProxyTlv(ProxyTlvTypes.UniqueId, [1, 2, 3])]);
        for (var n = 1; n < bytes.Length; n++)
        {
            Assert.Equal(ProxyParseStatus.NeedMore, Parse(bytes[..n], out _, out _, out _));
        }

        Assert.Equal(ProxyParseStatus.Complete, Parse(bytes, out var h, out _, out _));
        Assert.Equal([1, 2, 3], h!.UniqueId);
    }

    [Fact]
    public void Local_unspec_and_udp_keep_the_real_endpoints()
    {
        Assert.Equal(ProxyParseStatus.Complete, Parse(ProxyHeaderWriter.V2(ProxyCommand.Local, null, null, []), out var h, out var length, out _));
        Assert.Equal(16, length);
        Assert.Equal(ProxyCommand.Local, h!.Command);
        Assert.False(h.HasAddresses);

        // A LOCAL command with an address block: the receiver skips it.
        var local = ProxyHeaderWriter.V2(ProxyCommand.Proxy, new IPEndPoint(IPAddress.Parse("10.1.2.3"), 1), new IPEndPoint(IPAddress.Parse("10.0.0.1"), 2), []);
        local[12] = 0x20;
        Assert.Equal(ProxyParseStatus.Complete, Parse(local, out h, out _, out _));
        Assert.False(h!.HasAddresses);

        var udp = ProxyHeaderWriter.V2(ProxyCommand.Proxy, new IPEndPoint(IPAddress.Parse("10.1.2.3"), 1), new IPEndPoint(IPAddress.Parse("10.0.0.1"), 2), []);
        udp[13] = 0x12;
        Assert.Equal(ProxyParseStatus.Complete, Parse(udp, out h, out _, out _));
        Assert.False(h!.HasAddresses);
    }

    [Theory]
    [InlineData(12, 0x11, "version 1")]
    [InlineData(12, 0x22, "command 0x2")]
    [InlineData(13, 0x41, "family/protocol")]
    [InlineData(13, 0x13, "family/protocol")]
    public void Version_2_nibbles_outside_the_specification_are_malformed(int at, byte value, string why)
    {
        var bytes = ProxyHeaderWriter.V2(ProxyCommand.Proxy, new IPEndPoint(IPAddress.Parse("10.1.2.3"), 1), new IPEndPoint(IPAddress.Parse("10.0.0.1"), 2), []);
        bytes[at] = value;
        Assert.Equal(ProxyParseStatus.Malformed, Parse(bytes, out _, out _, out var error));
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_2_lengths_are_checked_against_the_limit_the_family_and_the_tlvs()
    {
        var sig = ProxyHeaderParser.V2Signature.ToArray();

        // 16 + 65535 announced: refused at once, without waiting for the bytes.
        Assert.Equal(ProxyParseStatus.Malformed, Parse([.. sig, 0x21, 0x11, 0xFF, 0xFF], out _, out _, out var error));
        Assert.Contains("limit", error, StringComparison.Ordinal);

        // TCP4 with an 8-byte address block.
        Assert.Equal(ProxyParseStatus.Malformed, Parse([.. sig, 0x21, 0x11, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8], out _, out _, out error));
        Assert.Contains("shorter", error, StringComparison.Ordinal);

        // A TLV announcing 5 bytes with 2 left.
        Assert.Equal(ProxyParseStatus.Malformed, Parse([.. sig, 0x21, 0x00, 0x00, 0x05, 0x05, 0x00, 0x05, 1, 2], out _, out _, out error));
        Assert.Contains("runs past", error, StringComparison.Ordinal);

        // A unique ID longer than 128 bytes.
        var id = new byte[129];
        Assert.Equal(ProxyParseStatus.Malformed, Parse([.. sig, 0x21, 0x00, 0x00, 132, 0x05, 0x00, 129, .. id], out _, out _, out error));
        Assert.Contains("unique ID", error, StringComparison.Ordinal);

        // An SSL TLV whose sub-TLV overruns it.
        Assert.Equal(ProxyParseStatus.Malformed, Parse([.. sig, 0x21, 0x00, 0x00, 11, 0x20, 0x00, 8, 1, 0, 0, 0, 0, 0x21, 0x00, 9], out _, out _, out error));
        Assert.Contains("SSL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_1_headers_written_by_Portico_are_canonical()
    {
        var v4 = ProxyHeaderWriter.V1(new IPEndPoint(IPAddress.Parse("127.0.0.5"), 40001), new IPEndPoint(IPAddress.Parse("127.0.0.1"), 8080));
        Assert.Equal("PROXY TCP4 127.0.0.5 127.0.0.1 40001 8080\r\n", Encoding.ASCII.GetString(v4));

        // An IPv4 client on an IPv6 socket is written as IPv4; a scope id never appears.
        var mapped = ProxyHeaderWriter.V1(new IPEndPoint(IPAddress.Parse("::ffff:10.0.0.7"), 1), new IPEndPoint(IPAddress.Parse("::ffff:10.0.0.1"), 2));
        Assert.Equal("PROXY TCP4 10.0.0.7 10.0.0.1 1 2\r\n", Encoding.ASCII.GetString(mapped));
        var scoped = ProxyHeaderWriter.V1(new IPEndPoint(IPAddress.Parse("fe80::1%2"), 1), new IPEndPoint(IPAddress.Parse("fe80::2%2"), 2));
        Assert.Equal("PROXY TCP6 fe80::1 fe80::2 1 2\r\n", Encoding.ASCII.GetString(scoped));
        Assert.Equal("PROXY UNKNOWN\r\n", Encoding.ASCII.GetString(
            ProxyHeaderWriter.V1(new IPEndPoint(IPAddress.Parse("10.0.0.7"), 1), new IPEndPoint(IPAddress.Parse("::1"), 2))));
    }
}
