using System.Net;
using System.Net.Sockets;
using System.Text;
using Portico.ClientIp.ProxyProtocol;
using Portico.Core.Tests.Http;
using Portico.Testing;

namespace Portico.Core.Tests.ClientIp;

/// <summary>PROXY protocol on the L7 path: accepted before HTTP (and TLS), sent on connections that belong to one client.</summary>
public sealed class L7ProxyProtocolTests
{
    /// <summary>Sends a PROXY header then one HTTP/1.1 request on a raw connection; returns the response.</summary>
    private static async Task<string> RequestAsync(IPEndPoint vip, byte[] header, string path)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await s.ConnectAsync(vip, cts.Token);
        await s.SendAsync(header.Concat(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6\r\nConnection: close\r\n\r\n")).ToArray(),
            SocketFlags.None, cts.Token);
        try
        {
            return Encoding.ASCII.GetString(await TestClient.ReadToEndAsync(s, cts.Token));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return "RESET";
        }
    }

    /// <summary>An HTTP vserver over one service that gets a version 1 PROXY header on every server connection.</summary>
    private static Task<PorticoHost> StartProxiedAsync(ProxyAwareHttpBackend backend) => PorticoHost.StartAsync($"""
        add ns netProfile pp -proxyProtocol ENABLED
        add service s1 127.0.0.1 HTTP {backend.Port} -netProfile pp
        add lb vserver v HTTP 127.0.0.1 {Ports.Free()}
        bind lb vserver v s1
        """);

    [Fact]
    public async Task An_http_vserver_behind_a_balancer_forwards_the_client_the_header_names()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1, vserverOptions: "-netProfile lb", serviceOptions: "-cip ENABLED X-Client-IP",
            extra: "add ns netProfile lb -proxyProtocol ENABLED\nadd ns simpleacl banned DENY -srcIP 198.51.100.66");
        var header = ProxyHeaderWriter.V2(ProxyCommand.Proxy, new IPEndPoint(IPAddress.Parse("203.0.113.9"), 5555), new IPEndPoint(IPAddress.Parse("192.0.2.1"), 80), []);
        var response = await RequestAsync(setup.Vip, header, "/headers");
        Assert.Contains("200 OK", response, StringComparison.Ordinal);
        Assert.Contains("X-Client-IP: 203.0.113.9", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Forwarded-For: 203.0.113.9", response, StringComparison.OrdinalIgnoreCase);

        Assert.Equal("RESET", await RequestAsync(setup.Vip, "PROXY TCP4 198.51.100.66 192.0.2.1 5555 80\r\n"u8.ToArray(), "/"));
        Assert.Equal("RESET", await RequestAsync(setup.Vip, [], "/"));
        var k = setup.Host.Engine.Runtime.Vservers["v"].Counters;
        Assert.Equal((1L, 1L), (Interlocked.Read(ref k.Denied), Interlocked.Read(ref k.ProxyHeaderMissing)));
    }

    [Fact]
    public async Task A_service_that_gets_proxy_headers_gets_a_connection_per_request_each_naming_its_own_client()
    {
        await using var backend = ProxyAwareHttpBackend.Start();
        await using var host = await StartProxiedAsync(backend);
        var url = new Uri($"http://{host.EndPointOf("v")}/");
        using var a = HttpSetup.Client(IPAddress.Parse("127.0.0.5"));
        using var b = HttpSetup.Client(IPAddress.Parse("127.0.0.6"));

        // Each client keeps its own connection to Portico alive; each request reaches the server on a fresh
        // connection whose header names the right client, whatever the order.
        foreach (var (client, expected) in new[] { (a, "127.0.0.5"), (b, "127.0.0.6"), (a, "127.0.0.5"), (b, "127.0.0.6") })
        {
            var body = await client.GetStringAsync(url);
            Assert.StartsWith($"PROXY TCP4 {expected} 127.0.0.1 ", body, StringComparison.Ordinal);
        }

        Assert.Equal(4, backend.Connections);
    }

    [Fact]
    public async Task Concurrent_clients_each_reach_the_server_behind_their_own_header()
    {
        await using var backend = ProxyAwareHttpBackend.Start();
        await using var host = await StartProxiedAsync(backend);
        var url = new Uri($"http://{host.EndPointOf("v")}/");

        // Eight clients at once, 25 requests each: the server connections are opened concurrently, and a
        // connection opened for one request must never carry another client's request.
        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(5, 40).Select(async n =>
        {
            var address = $"127.0.0.{n}";
            using var client = HttpSetup.Client(IPAddress.Parse(address));
            for (var i = 0; i < 25; i++)
            {
                var body = await client.GetStringAsync(url);
                if (!body.StartsWith($"PROXY TCP4 {address} 127.0.0.1 ", StringComparison.Ordinal))
                {
                    wrong.Add($"{address} got {body.Trim()}");
                }
            }
        }));

        Assert.Empty(wrong);
        Assert.Equal(1000, backend.Connections);
    }
}
