using System.Net.Sockets;
using System.Text;
using Portico.Testing;

namespace Portico.Core.Tests.Http.Wire;

/// <summary>
/// What the server receives (decisions.md, "Forwarding"): the client's fields in order without the hop-by-hop ones,
/// Portico's own X-Forwarded-* fields, framing Portico writes itself, Expect answered by Portico, upgrades relayed.
/// </summary>
public class ForwardingTests(WireFixture fixture) : IClassFixture<WireFixture>
{
    private static readonly string[] HopByHop = ["Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Expect", "X-Drop", "X-Drop-Too"];

    [Fact]
    public async Task The_client_fields_arrive_in_order_trimmed_without_hop_by_hop_ones_and_with_portico_forwarded_fields()
    {
        var (_, forwarded) = await fixture.Setup.AssertForwardedAsync("hop-by-hop",
            "GET /fields HTTP/1.1\r\n"
            + "Host: Example.Test:8080\r\n"
            + "X-One:   1 \t\r\n"
            + "Connection: keep-alive, X-Drop\r\n"
            + "Connection: X-Drop-Too\r\n"
            + "Keep-Alive: timeout=5\r\n"
            + "Proxy-Connection: keep-alive\r\n"
            + "TE: trailers\r\n"
            + "Trailer: X-T\r\n"
            + "Upgrade: h2c\r\n"
            + "X-Drop: gone\r\n"
            + "X-Drop-Too: gone\r\n"
            + "X-Forwarded-For: 192.0.2.1\r\n"
            + "X-Forwarded-Proto: https\r\n"
            + "X-Two: 2\r\n"
            + "x-one: again\r\n"
            + "\r\n", "/fields");

        Assert.Equal("GET /fields HTTP/1.1", forwarded.RequestLine);
        Assert.Equal(["Example.Test:8080"], forwarded.All("Host"));
        foreach (var name in HopByHop)
        {
            Assert.False(forwarded.Has(name), $"{name} reached the backend: {forwarded}");
        }

        Assert.Equal(["127.0.0.1"], forwarded.All("X-Forwarded-For"));
        Assert.Equal(["http"], forwarded.All("X-Forwarded-Proto"));
        var clientFields = forwarded.Fields.Where(f => f.Name.Equals("Host", StringComparison.OrdinalIgnoreCase) || f.Name.StartsWith("X-O", StringComparison.OrdinalIgnoreCase)
            || f.Name.Equals("X-Two", StringComparison.OrdinalIgnoreCase)).Select(f => $"{f.Name.ToLowerInvariant()}: {f.Value}");
        Assert.Equal(["host: Example.Test:8080", "x-one: 1", "x-two: 2", "x-one: again"], clientFields);
        Assert.False(forwarded.Has("Content-Length"), forwarded.ToString());
        Assert.Equal("none", forwarded.Framing);
    }

    [Fact]
    public async Task A_content_length_body_is_forwarded_byte_exact_with_portico_framing()
    {
        var body = string.Concat(Enumerable.Range(0, 256).Select(i => (char)i));
        var (_, forwarded) = await fixture.Setup.AssertForwardedAsync("CL body", $"POST /cl HTTP/1.1\r\nHost: x\r\nContent-Length: {body.Length}\r\n\r\n{body}", "/cl");
        Assert.Equal(body, forwarded.BodyText);
        Assert.Equal(["256"], forwarded.All("Content-Length"));
    }

    [Fact]
    public async Task A_chunked_body_is_forwarded_byte_exact_without_extensions_or_trailers()
    {
        var (_, forwarded) = await fixture.Setup.AssertForwardedAsync("chunked body with extensions and trailers",
            "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n1;quoted=\"a;b\"\r\n \r\n6;x\r\nworld!\r\nA\r\n\0\u0001\r\n\r\n0123\r\n0;last\r\nX-Trailer: t\r\n\r\n", "/chunked");
        Assert.Equal("hello world!\0\u0001\r\n\r\n0123", forwarded.BodyText);
        Assert.False(forwarded.ChunkExtensions, fixture.Setup.Backend.Describe());
        Assert.Empty(forwarded.Trailers);
        Assert.False(forwarded.Has("X-Trailer"));
        Assert.True(forwarded.Framing is "chunked" or "content-length", forwarded.ToString());
        var received = Encoding.Latin1.GetString(fixture.Setup.Backend.Connections.Single(c => c.Id == forwarded.Connection).Received);
        Assert.DoesNotContain("name=value", received);
        Assert.DoesNotContain("X-Trailer", received);
    }

    [Fact]
    public async Task An_empty_chunked_body_is_forwarded_as_an_empty_body()
    {
        var (_, forwarded) = await fixture.Setup.AssertForwardedAsync("empty chunked", "POST /empty HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "/empty");
        Assert.Equal(0, forwarded.BodyLength);
    }

    [Fact]
    public async Task Expect_100_continue_is_answered_by_portico_and_not_forwarded()
    {
        using var socket = await RawClient.ConnectAsync(fixture.Setup.Vip);
        await socket.SendAsync("POST /expect HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n"u8.ToArray(), SocketFlags.None);
        var interim = await ReadAtLeastAsync(socket, "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 100 Continue\r\n", interim, StringComparison.Ordinal);
        await socket.SendAsync("hello"u8.ToArray(), SocketFlags.None);
        var final = interim[(interim.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..] + await ReadAtLeastAsync(socket, "request ");
        Assert.Contains("HTTP/1.1 200", final, StringComparison.Ordinal);
        var forwarded = Assert.Single(fixture.Setup.Backend.RequestsFor("/expect"));
        Assert.False(forwarded.Has("Expect"), forwarded.ToString());
        Assert.Equal("hello", forwarded.BodyText);
    }

    [Fact]
    public async Task An_upgrade_carries_connection_upgrade_and_after_101_both_directions_are_relayed_opaquely()
    {
        await using var setup = await WireSetup.StartAsync();
        setup.Backend.Reply = async (request, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: portico-test\r\n\r\n"u8.ToArray());
            // Opaque from here: echo what comes, upper-cased, until the client closes.
            var buffer = new byte[4096];
            int n;
            while ((n = await connection.ReadAsync(buffer)) > 0)
            {
                await connection.WriteAsync(Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(buffer, 0, n).ToUpperInvariant()));
            }

            return false;
        };
        using var socket = await RawClient.ConnectAsync(setup.Vip);
        await socket.SendAsync("GET /up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: portico-test\r\n\r\n"u8.ToArray(), SocketFlags.None);
        var head = await ReadAtLeastAsync(socket, "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
        await socket.SendAsync("not http at all\r\n\r\n\0"u8.ToArray(), SocketFlags.None);
        Assert.Contains("NOT HTTP AT ALL\r\n\r\n\0", await ReadAtLeastAsync(socket, "\0"), StringComparison.Ordinal);
        var forwarded = Assert.Single(setup.Backend.RequestsFor("/up"));
        Assert.Contains("upgrade", forwarded.Field("Connection") ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.Equal("portico-test", forwarded.Field("Upgrade"));
    }

    /// <summary>Reads until <paramref name="marker"/> has arrived (bounded by the shared timeout).</summary>
    internal static async Task<string> ReadAtLeastAsync(Socket socket, string marker)
    {
        using var cts = new CancellationTokenSource(Eventually.Timeout);
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (n == 0)
            {
                throw new IOException($"closed before '{RawClient.Escape(Encoding.Latin1.GetBytes(marker))}' after '{RawClient.Escape(Encoding.Latin1.GetBytes(text.ToString()))}'");
            }

            text.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        return text.ToString();
    }
}
