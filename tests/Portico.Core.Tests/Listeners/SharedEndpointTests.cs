using System.Net;
using System.Net.Sockets;
using Portico.Testing;

namespace Portico.Core.Tests.Listeners;

/// <summary>
/// Who may share an address and port: a TCP and a UDP vserver may (different transports), while an HTTP
/// and a TCP vserver may not (both are TCP): whichever came second is DOWN with the reason in the batch's
/// warnings and in <c>show lb vserver</c>, and the first one keeps serving.
/// The words are <c>Listeners/ListenerPlan</c>'s, the same on every data path.
/// </summary>
public class SharedEndpointTests
{
    [Fact]
    public async Task A_tcp_and_a_udp_vserver_on_the_same_address_and_port_both_listen()
    {
        await using var tcpBackend = TestTcpServer.Start("tcp-b");
        await using var udpBackend = TestUdpServer.Start("udp-b");
        var port = FreeForTcpAndUdp();
        await using var host = await PorticoHost.StartAsync($"""
            add service st 127.0.0.1 TCP {tcpBackend.Port}
            add service su 127.0.0.1 UDP {udpBackend.Port}
            add lb vserver t TCP 127.0.0.1 {port}
            add lb vserver u UDP 127.0.0.1 {port}
            bind lb vserver t st
            bind lb vserver u su
            """);

        var vip = new IPEndPoint(IPAddress.Loopback, port);
        Assert.Equal("tcp-b", await TestClient.WhoAnswersAsync(vip));
        using var client = TestUdpServer.NewClient();
        Assert.Equal("udp-b:ping", await TestUdpServer.AskAsync(client, vip, "ping"));

        var shown = (await host.MustApplyAsync("show lb vserver t\nshow lb vserver u")).Describe();
        Assert.Contains($"Listener: listening on 127.0.0.1:{port}", shown);
        Assert.Contains($"Listener: listening on udp 127.0.0.1:{port}", shown);
    }

    [Fact]
    public async Task An_http_vserver_on_the_endpoint_of_a_tcp_vserver_is_down_with_the_conflict_and_the_tcp_one_serves_on()
    {
        await using var tcpBackend = TestTcpServer.Start("tcp-b");
        await using var httpBackend = await TestHttpServer.StartAsync("http-b");
        var port = Ports.Free();
        await using var host = await PorticoHost.StartAsync($"""
            add service st 127.0.0.1 TCP {tcpBackend.Port}
            add lb vserver t TCP 127.0.0.1 {port}
            bind lb vserver t st
            """);

        var added = (await host.MustApplyAsync($"""
            add service sh 127.0.0.1 HTTP {httpBackend.Port}
            add lb vserver h HTTP 127.0.0.1 {port}
            bind lb vserver h sh
            """)).Describe();
        var conflict = $"lb vserver h cannot listen on 127.0.0.1:{port}: another vserver uses it";
        Assert.Contains(conflict, added);

        var shown = (await host.MustApplyAsync("show lb vserver h")).Describe();
        Assert.Contains("State: DOWN", shown);
        Assert.Contains(conflict, shown);
        Assert.Contains($"Listener: listening on 127.0.0.1:{port}", (await host.MustApplyAsync("show lb vserver t")).Describe());
        Assert.Equal("tcp-b", await TestClient.WhoAnswersAsync(new IPEndPoint(IPAddress.Loopback, port)));
    }

    [Fact]
    public async Task A_tcp_vserver_added_on_the_endpoint_of_an_http_vserver_is_down_with_the_conflict_and_the_http_one_serves_on()
    {
        await using var tcpBackend = TestTcpServer.Start("tcp-b");
        await using var httpBackend = await TestHttpServer.StartAsync("http-b");
        var port = Ports.Free();
        await using var host = await PorticoHost.StartAsync($"""
            add service sh 127.0.0.1 HTTP {httpBackend.Port}
            add lb vserver h HTTP 127.0.0.1 {port}
            bind lb vserver h sh
            """);

        var added = (await host.MustApplyAsync($"""
            add service st 127.0.0.1 TCP {tcpBackend.Port}
            add lb vserver t TCP 127.0.0.1 {port}
            bind lb vserver t st
            """)).Describe();
        var conflict = $"lb vserver t cannot listen on 127.0.0.1:{port}: another vserver uses it";
        Assert.Contains(conflict, added);
        Assert.DoesNotContain("lb vserver h cannot", added);

        Assert.Contains(conflict, (await host.MustApplyAsync("show lb vserver t")).Describe());
        Assert.Contains($"Listener: listening on 127.0.0.1:{port} (HTTP/1.1)", (await host.MustApplyAsync("show lb vserver h")).Describe());
        using var client = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri($"http://127.0.0.1:{port}/"))).StatusCode);
    }

    [Fact]
    public async Task A_second_udp_vserver_on_the_same_endpoint_is_down_with_the_conflict_named_udp()
    {
        await using var backend = TestUdpServer.Start("udp-b");
        var port = Ports.FreeUdp();
        await using var host = await PorticoHost.StartAsync($"""
            add service su 127.0.0.1 UDP {backend.Port}
            add lb vserver u1 UDP 127.0.0.1 {port}
            bind lb vserver u1 su
            """);

        var added = (await host.MustApplyAsync($"add lb vserver u2 UDP 127.0.0.1 {port}\nbind lb vserver u2 su")).Describe();
        Assert.Contains($"lb vserver u2 cannot listen on udp 127.0.0.1:{port}: another vserver uses it", added);
        using var client = TestUdpServer.NewClient();
        Assert.Equal("udp-b:ping", await TestUdpServer.AskAsync(client, new IPEndPoint(IPAddress.Loopback, port), "ping"));
    }

    private static int FreeForTcpAndUdp()
    {
        while (true)
        {
            var port = Ports.Free();
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
    }
}
