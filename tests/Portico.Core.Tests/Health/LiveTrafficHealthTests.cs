using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portico.Core.Tests.Http;
using Portico.Events;
using Portico.Health;
using Portico.Testing;
using Xunit.Abstractions;

namespace Portico.Core.Tests.Health;

/// <summary>
/// Passive health counts what clients see: a member that answers its health URL but fails real requests
/// (resets mid-response, answers bytes that are not HTTP, resets connections at once) is taken out after
/// <c>-passiveFailures</c> failures, with the reason, and no client fails after that.
/// </summary>
public class LiveTrafficHealthTests(ITestOutputHelper output)
{
    /// <summary>Probes that always pass (the health URL answers), and a long hold once live traffic trips the member.</summary>
    private const string Monitor = "add lb monitor health HTTP -httpRequest \"GET /health\" -respCode 200 -interval 200 MSEC -resptimeout 150 MSEC -downTime 60 SEC";

    private const int Requests = 200;

    [Theory]
    [InlineData(Fault.ResetMidResponse, "L7RSP reset during the response")]
    [InlineData(Fault.NotHttp, "L7RSP not an HTTP response")]
    public async Task An_http_member_failing_every_other_request_behind_a_healthy_health_url_is_down_within_passiveFailures(Fault fault, string reason)
    {
        await using var faulty = FaultyBackend.Start(fault);
        await using var good = await TestHttpServer.StartAsync("good");
        await using var host = await PorticoHost.StartAsync($"""
            {Monitor}
            add service s1 127.0.0.1 HTTP {faulty.Port} -passiveFailures 3
            add service s2 127.0.0.1 HTTP {good.Port}
            bind service s1 -monitorName health
            bind service s2 -monitorName health
            add lb vserver v HTTP 127.0.0.1 {Ports.Free()} -lbMethod ROUNDROBIN
            bind lb vserver v s1
            bind lb vserver v s2
            """);
        await WaitProbedAsync(host, "s1", "s2");
        using var client = HttpSetup.Client();
        var url = new Uri($"http://{host.EndPointOf("v")}/page");
        var run = await RunAsync(host, "s1", () => GetAsync(client, url));

        output.WriteLine($"{fault}: {run.Failures} of {Requests} client requests failed, DOWN after request {run.DownAfter}; faulty backend failed {faulty.Failed}");
        var down = host.Services.GetRequiredService<EventLog>().Since().Single(e => e.Entity == "s1" && e.Kind == HealthEvents.ServiceDown);
        Assert.Contains(reason, down.Message);
        Assert.InRange(run.Failures, 1, 3);
        Assert.Equal(0, run.FailuresAfterDown);
        Assert.Contains(reason, (await host.MustApplyAsync("show ns events")).Describe());
        var shown = (await host.MustApplyAsync("show service s1")).Describe();
        Assert.Contains("passive health: 3 failures of live traffic, last " + reason, shown);
        Assert.Contains("DOWN at 3", shown);
        var stat = (await host.MustApplyAsync("stat lb vserver v")).Describe();
        output.WriteLine(stat);
        Assert.Contains("Client aborts (the client closed before its answer; not errors): 0", stat);
    }

    [Fact]
    public async Task A_tcp_member_resetting_every_other_connection_at_once_is_down_within_passiveFailures()
    {
        await using var faulty = FaultyBackend.Start(Fault.ResetOnAccept);
        await using var good = TestTcpServer.Start("good");
        await using var host = await PorticoHost.StartAsync($"""
            add lb monitor tcp_fast TCP -interval 200 MSEC -resptimeout 150 MSEC -downTime 60 SEC
            add service s1 127.0.0.1 TCP {faulty.Port}
            add service s2 127.0.0.1 TCP {good.Port}
            bind service s1 -monitorName tcp_fast
            bind service s2 -monitorName tcp_fast
            add lb vserver v TCP 127.0.0.1 {Ports.Free()} -lbMethod ROUNDROBIN
            bind lb vserver v s1
            bind lb vserver v s2
            """);
        await WaitProbedAsync(host, "s1", "s2");
        var vip = host.EndPointOf("v");
        var run = await RunAsync(host, "s1", () => ExchangeAsync(vip));

        output.WriteLine($"L4: {run.Failures} of {Requests} client connections failed, DOWN after connection {run.DownAfter}; backend reset {faulty.Failed}");
        var down = host.Services.GetRequiredService<EventLog>().Since().Single(e => e.Entity == "s1" && e.Kind == HealthEvents.ServiceDown);
        output.WriteLine(down.Message);

        // The reset may beat the connect's completion (the connect fails) or come just after it (the relay fails).
        Assert.Matches(@"last L4CON (ConnectionReset|reset by the server before any data)", down.Message);
        // A reset that fails the connect itself is retried on the other member: the client does not even see it.
        Assert.InRange(run.Failures, 0, 3);
        Assert.Equal(0, run.FailuresAfterDown);
    }

    [Fact]
    public async Task PassiveFailures_is_set_per_service_written_by_save_and_zero_turns_it_off()
    {
        await using var faulty = FaultyBackend.Start(Fault.ResetMidResponse);
        await using var good = await TestHttpServer.StartAsync("good");
        await using var host = await PorticoHost.StartAsync($"""
            {Monitor}
            add service s1 127.0.0.1 HTTP {faulty.Port} -passiveFailures 0
            add service s2 127.0.0.1 HTTP {good.Port}
            bind service s1 -monitorName health
            bind service s2 -monitorName health
            add lb vserver v HTTP 127.0.0.1 {Ports.Free()} -lbMethod ROUNDROBIN
            bind lb vserver v s1
            bind lb vserver v s2
            """);
        Assert.Contains("-passiveFailures 0", (await host.MustApplyAsync("show ns runningConfig")).Describe());
        await WaitProbedAsync(host, "s1", "s2");
        using var client = HttpSetup.Client();
        var url = new Uri($"http://{host.EndPointOf("v")}/page");
        for (var i = 0; i < 40; i++)
        {
            await GetAsync(client, url);
        }

        var s1 = host.Engine.Runtime.Services["s1"];
        Assert.Equal("UP", s1.StateWord);
        Assert.True(s1.Health.Passive.Failures >= 5, $"{s1.Health.Passive.Failures} failures seen");
        Assert.Contains("Passive health: off (-passiveFailures 0)", (await host.MustApplyAsync("show service s1")).Describe());

        // Set back to the default (3): the next failures take it out.
        await host.MustApplyAsync("unset service s1 -passiveFailures");
        Assert.DoesNotContain("-passiveFailures", (await host.MustApplyAsync("show ns runningConfig")).Describe());
        for (var i = 0; i < 40 && s1.StateWord == "UP"; i++)
        {
            await GetAsync(client, url);
        }

        Assert.Equal("DOWN", s1.StateWord);
        Assert.False((await host.ApplyAsync("set service s1 -passiveFailures -1")).Applied);
    }

    private static async Task WaitProbedAsync(PorticoHost host, params string[] services)
    {
        var health = host.Services.GetRequiredService<HealthMonitors>();
        Assert.True(await Eventually.TrueAsync(() => services.All(s =>
        {
            var member = host.Engine.Runtime.Services[s];
            return member.StateWord == "UP" && health.MonitorOf(member)!.Jobs[0].Counters.Probes >= 2;
        }), TimeSpan.FromSeconds(10)), "the members were not probed UP");
    }

    /// <summary>A bounded run of sequential client exchanges; which failed, and whether any failed once the member was DOWN.</summary>
    private static async Task<Run> RunAsync(PorticoHost host, string faulty, Func<Task<bool>> exchange)
    {
        var member = host.Engine.Runtime.Services[faulty];
        var failures = 0;
        var failuresAfterDown = 0;
        var downAfter = -1;
        for (var i = 0; i < Requests; i++)
        {
            var wasDown = member.StateWord == "DOWN";
            if (wasDown && downAfter < 0)
            {
                downAfter = i;
            }

            if (!await exchange())
            {
                failures++;
                failuresAfterDown += wasDown ? 1 : 0;
            }
        }

        Assert.True(downAfter >= 0, $"{faulty} never went DOWN; {failures} of {Requests} client exchanges failed");
        return new Run(failures, failuresAfterDown, downAfter);
    }

    private static async Task<bool> GetAsync(HttpClient client, Uri url)
    {
        try
        {
            using var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode && body.Length > 0;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>One connection through the TCP vserver: a request out, some bytes back, closed by the client.</summary>
    private static async Task<bool> ExchangeAsync(IPEndPoint vip)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(vip, timeout.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /page HTTP/1.1\r\nHost: x\r\n\r\n"), SocketFlags.None, timeout.Token);
            var buffer = new byte[256];
            return await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private sealed record Run(int Failures, int FailuresAfterDown, int DownAfter);
}
