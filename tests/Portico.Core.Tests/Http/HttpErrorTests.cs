using System.Diagnostics;
using System.Net;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>503, 502 and 504: short Portico pages and counters; the backup vserver before a 503.</summary>
public class HttpErrorTests
{
    [Fact]
    public async Task With_no_service_up_the_client_gets_a_503_page_at_once_and_it_is_counted()
    {
        await using var setup = await HttpSetup.StartAsync();
        await setup.Host.MustApplyAsync("disable service s1\ndisable service s2");
        using var client = HttpSetup.Client();
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(setup.Url());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"503 took {watch.Elapsed}");
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("503 Service Unavailable", page);
        Assert.Contains("vserver v", page);
        Assert.Equal(1, Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.Errors503));
        Assert.Contains("503", (await setup.Host.ApplyAsync("stat lb vserver v")).Describe());
    }

    [Fact]
    public async Task The_backup_vserver_serves_when_the_primary_has_no_service_up()
    {
        await using var spare = await TestHttpServer.StartAsync("spare");
        await using var setup = await HttpSetup.StartAsync(backends: 1,
            extra: $"add service sp 127.0.0.1 HTTP {spare.Port}\nadd lb vserver bk HTTP 0.0.0.0 0\nbind lb vserver bk sp\nset lb vserver v -backupVServer bk");
        using var client = HttpSetup.Client();
        Assert.Equal("b1", await HttpSetup.WhoAnswersAsync(client, setup.Url()));
        await setup.Host.MustApplyAsync("disable service s1");
        Assert.Equal("spare", await HttpSetup.WhoAnswersAsync(client, setup.Url()));
        await setup.Host.MustApplyAsync("enable service s1");
        Assert.Equal("b1", await HttpSetup.WhoAnswersAsync(client, setup.Url()));
        Assert.Equal(1, Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.ToBackup));
        await setup.Host.MustApplyAsync("disable service s1\ndisable service sp");
        using var none = await client.GetAsync(setup.Url());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, none.StatusCode);
    }

    [Fact]
    public async Task A_backend_that_does_not_speak_http_gives_a_502_page_and_a_counter()
    {
        await using var garbage = TestTcpServer.Start("not-http");
        await using var host = await PorticoHost.StartAsync($"""
            add service junk 127.0.0.1 HTTP {garbage.Port}
            add lb vserver v HTTP 127.0.0.1 {Ports.Free()}
            bind lb vserver v junk
            """);
        using var client = HttpSetup.Client();
        using var response = await client.GetAsync($"http://{host.EndPointOf("v")}/");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("502 Bad Gateway", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, Interlocked.Read(ref host.Engine.Runtime.Vservers["v"].Counters.Errors502));
    }

    [Fact]
    public async Task A_backend_that_refuses_connections_gives_a_502_and_counts_a_connect_failure()
    {
        await using var host = await PorticoHost.StartAsync($"""
            add service dead 127.0.0.1 HTTP {Ports.Free()}
            add lb vserver v HTTP 127.0.0.1 {Ports.Free()}
            bind lb vserver v dead
            """);
        using var client = HttpSetup.Client();
        using var response = await client.GetAsync($"http://{host.EndPointOf("v")}/");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(1, Interlocked.Read(ref host.Engine.Runtime.Services["dead"].Counters.ConnectFailures));
    }

    [Fact]
    public async Task A_backend_slower_than_svrTimeout_gives_a_504_page_and_a_counter()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1, serviceOptions: "-svrTimeout 1");
        using var client = HttpSetup.Client();
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(setup.Url("/delay/4000"));
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 3.5);
        Assert.Contains("504 Gateway Timeout", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.Errors504));

        // A quick request on the same vserver is unaffected.
        Assert.Equal("b1", await HttpSetup.WhoAnswersAsync(client, setup.Url()));
    }

    [Fact]
    public async Task An_idle_client_connection_is_closed_after_cltTimeout()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1, vserverOptions: "-cltTimeout 1");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(setup.Vip);
        await socket.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        var buffer = new byte[4096];
        Assert.True(await socket.ReceiveAsync(buffer) > 0);
        var watch = Stopwatch.StartNew();
        while (await socket.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(10)) > 0)
        {
        }

        Assert.InRange(watch.Elapsed.TotalSeconds, 0.5, 4);
    }
}
