using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portico.ClientIp;
using Portico.ClientIp.ProxyProtocol;
using Portico.Testing;

namespace Portico.Core.Tests.ClientIp;

/// <summary>PROXY protocol on the L4 path: sent to services, accepted on vservers, refused when missing or broken.</summary>
public sealed class L4ProxyProtocolTests
{
    private static readonly IPAddress ClientAddress = IPAddress.Parse("127.0.0.5");

    /// <summary>Connects from 127.0.0.5 (any 127.x is local), sends <paramref name="payload"/>, half-closes, reads the answer (RESET if reset).</summary>
    private static async Task<(IPEndPoint Client, string Answer)> SendAsync(IPEndPoint vip, byte[] payload)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(ClientAddress, 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await s.ConnectAsync(vip, cts.Token);
        var client = (IPEndPoint)s.LocalEndPoint!;
        await s.SendAsync(payload, SocketFlags.None, cts.Token);
        try
        {
            s.Shutdown(SocketShutdown.Send);
            return (client, Encoding.ASCII.GetString(await TestClient.ReadToEndAsync(s, cts.Token)));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return (client, "RESET");
        }
    }

    private static Task<PorticoHost> StartAsync(string config, TimeSpan? headerTimeout = null) =>
        PorticoHost.StartAsync(config, configure: headerTimeout is { } t ? s => s.AddSingleton(new ClientIpOptions { ProxyHeaderTimeout = t }) : null);

    [Fact]
    public async Task A_service_with_a_v1_profile_gets_the_client_and_the_vip_in_a_line_before_the_clients_bytes()
    {
        await using var backend = RecordingBackend.Start();
        var port = Ports.Free();
        await using var host = await StartAsync($"""
            add ns netProfile pp -proxyProtocol ENABLED
            add service s1 127.0.0.1 TCP {backend.EndPoint.Port} -netProfile pp
            add lb vserver v TCP 127.0.0.1 {port}
            bind lb vserver v s1
            """);
        var (client, answer) = await SendAsync(host.EndPointOf("v"), "hello\n"u8.ToArray());
        Assert.Equal("ok\n", answer);
        Assert.True(backend.Received.TryDequeue(out var got));
        Assert.Equal($"PROXY TCP4 127.0.0.5 127.0.0.1 {client.Port} {port}\r\nhello\n", Encoding.ASCII.GetString(got.Bytes));

        // The server's peer is Portico, not the client: the header is how it learns who the client is.
        Assert.NotEqual(ClientAddress, got.Peer.Address);
    }

    [Fact]
    public async Task A_service_with_a_v2_profile_gets_a_binary_header_that_decodes_to_the_client()
    {
        await using var backend = RecordingBackend.Start();
        await using var host = await StartAsync($"""
            add ns netProfile pp2 -proxyProtocol ENABLED -proxyProtocolTxVersion V2
            add service s1 127.0.0.1 TCP {backend.EndPoint.Port} -netProfile pp2
            add lb vserver v TCP 127.0.0.1 {Ports.Free()}
            bind lb vserver v s1
            """);
        var (client, _) = await SendAsync(host.EndPointOf("v"), "payload"u8.ToArray());
        Assert.True(backend.Received.TryDequeue(out var got));
        Assert.Equal(ProxyParseStatus.Complete, ProxyHeaderParser.Parse(got.Bytes, 4096, out var header, out var length, out _));
        Assert.Equal(client, header!.Source);
        Assert.Equal(host.EndPointOf("v"), header.Destination);
        Assert.Equal("payload", Encoding.ASCII.GetString(got.Bytes, length, got.Bytes.Length - length));
    }

    [Fact]
    public async Task A_vserver_behind_a_balancer_takes_the_client_from_the_header_for_acls_relays_and_the_next_header()
    {
        await using var backend = RecordingBackend.Start();
        await using var host = await StartAsync($"""
            add ns netProfile from_lb -proxyProtocol ENABLED
            add ns netProfile to_srv -proxyProtocol ENABLED
            add service s1 127.0.0.1 TCP {backend.EndPoint.Port} -netProfile to_srv
            add lb vserver v TCP 127.0.0.1 {Ports.Free()} -netProfile from_lb
            bind lb vserver v s1
            add ns simpleacl banned DENY -srcIP 198.51.100.66
            """);
        var vip = host.EndPointOf("v");

        // Header and data in one segment: the data reaches the server intact, after Portico's own header.
        var (_, answer) = await SendAsync(vip, "PROXY TCP4 203.0.113.9 192.0.2.1 5555 443\r\nhello"u8.ToArray());
        Assert.Equal("ok\n", answer);
        Assert.True(backend.Received.TryDequeue(out var got));
        Assert.Equal("PROXY TCP4 203.0.113.9 192.0.2.1 5555 443\r\nhello", Encoding.ASCII.GetString(got.Bytes));

        // The simple ACL blocks the client the header names, though the socket's peer (127.0.0.5) is allowed.
        var (_, refused) = await SendAsync(vip, "PROXY TCP4 198.51.100.66 192.0.2.1 5555 443\r\nhello"u8.ToArray());
        Assert.Equal("RESET", refused);
        Assert.True(backend.Received.IsEmpty);
        var counters = host.Engine.Runtime.Vservers["v"].Counters;
        Assert.Equal(1, Interlocked.Read(ref counters.Denied));
        Assert.Equal(1, Interlocked.Read(ref counters.TotalConnections));
    }

    [Fact]
    public async Task Established_relays_are_known_by_the_real_client_so_a_flush_cuts_them()
    {
        await using var backend = TestTcpServer.Start("b1");
        await using var host = await StartAsync($"""
            add ns netProfile from_lb -proxyProtocol ENABLED
            add service s1 127.0.0.1 TCP {backend.Port}
            add lb vserver v TCP 127.0.0.1 {Ports.Free()} -netProfile from_lb
            bind lb vserver v s1
            """);
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(host.EndPointOf("v"));
        await s.SendAsync(ProxyHeaderWriter.V2(ProxyCommand.Proxy, new IPEndPoint(IPAddress.Parse("203.0.113.77"), 4242),
            new IPEndPoint(IPAddress.Parse("192.0.2.1"), 80), []), SocketFlags.None);
        Assert.Equal("b1", await TestClient.ReadLineAsync(s));
        Assert.Equal(IPAddress.Parse("203.0.113.77"), Assert.Single(host.Connections.All).Client!.Address);

        await host.MustApplyAsync("add ns simpleacl cut DENY -srcIP 203.0.113.77\nflush ns simpleacl -estSessions");
        Assert.True(await Eventually.TrueAsync(() => host.Connections.Count == 0, TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("GET / HTTP/1.0\r\n\r\n", "missing")]
    [InlineData("PROXY TCP4 203.0.113.9 192.0.2.1 05555 443\r\n", "malformed")]
    [InlineData("PROXY TCP4 203.0.1", "timeout")]
    [InlineData("", "timeout")]
    public async Task A_client_without_a_valid_header_is_closed_and_counted_never_relayed(string sent, string counter)
    {
        await using var backend = RecordingBackend.Start();
        await using var host = await StartAsync($"""
            add ns netProfile from_lb -proxyProtocol ENABLED
            add service s1 127.0.0.1 TCP {backend.EndPoint.Port}
            add lb vserver v TCP 127.0.0.1 {Ports.Free()} -netProfile from_lb
            bind lb vserver v s1
            """, headerTimeout: TimeSpan.FromMilliseconds(300));
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(host.EndPointOf("v"));
        await s.SendAsync(Encoding.ASCII.GetBytes(sent), SocketFlags.None);
        var started = Environment.TickCount64;

        // The client learns at once (a reset or a close), well before any long timeout.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            Assert.Equal(0, await s.ReceiveAsync(new byte[16], SocketFlags.None, cts.Token));
        }
        catch (SocketException e)
        {
            Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        }

        Assert.InRange(Environment.TickCount64 - started, 0, 3000);
        var k = host.Engine.Runtime.Vservers["v"].Counters;
        var counts = (Interlocked.Read(ref k.ProxyHeaderMissing), Interlocked.Read(ref k.ProxyHeaderMalformed), Interlocked.Read(ref k.ProxyHeaderTimeouts));
        Assert.Equal(counter switch { "missing" => (1L, 0L, 0L), "malformed" => (0L, 1L, 0L), _ => (0L, 0L, 1L) }, counts);
        Assert.True(backend.Received.IsEmpty);

        // The same count reaches the catalogue, hence /metrics and the history log.
        var catalog = host.Services.GetRequiredService<Portico.Counters.CounterCatalog>();
        Assert.Equal(1, catalog.Read($"portico.vserver.proxy_header_{(counter == "timeout" ? "timeouts" : counter)}")["v"]);

        var stat = Assert.Single((await host.MustApplyAsync("stat lb vserver v")).Output);
        Assert.Contains("PROXY protocol: required from clients", stat, StringComparison.Ordinal);
    }
}
