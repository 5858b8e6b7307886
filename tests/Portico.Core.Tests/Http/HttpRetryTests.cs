using System.Net;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>Live traffic as a health signal on L7: failed connects are retried once, 5xx runs mark a member DOWN.</summary>
public class HttpRetryTests
{
    [Fact]
    public async Task An_idempotent_request_whose_member_refuses_goes_once_to_another_member()
    {
        await using var live = await TestHttpServer.StartAsync("live");
        await using var host = await PorticoHost.StartAsync($"""
            add lb monitor slow TCP -interval 60 -units3 SEC
            add service dead 127.0.0.1 HTTP {Ports.Free()}
            add service ok 127.0.0.1 HTTP {live.Port}
            bind service dead -monitorName slow
            bind service ok -monitorName slow
            add lb vserver v HTTP 127.0.0.1 {Ports.Free()} -lbMethod ROUNDROBIN
            bind lb vserver v dead
            bind lb vserver v ok
            """);
        using var client = HttpSetup.Client(pooled: false);
        var url = $"http://{host.EndPointOf("v")}/";
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("live", await response.Content.ReadAsStringAsync());
        }

        var counters = host.Engine.Runtime.Vservers["v"].Counters;
        Assert.True(Interlocked.Read(ref counters.Retries) >= 1);
        Assert.Equal(0, Interlocked.Read(ref counters.Errors502));
    }

    [Fact]
    public async Task A_request_with_a_body_is_not_replayed()
    {
        await using var host = await PorticoHost.StartAsync($"""
            add lb monitor slow TCP -interval 60 -units3 SEC
            add service dead 127.0.0.1 HTTP {Ports.Free()}
            bind service dead -monitorName slow
            add lb vserver v HTTP 127.0.0.1 {Ports.Free()}
            bind lb vserver v dead
            """);
        using var client = HttpSetup.Client(pooled: false);
        using var response = await client.PostAsync($"http://{host.EndPointOf("v")}/", new StringContent("payload"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(0, Interlocked.Read(ref host.Engine.Runtime.Vservers["v"].Counters.Retries));
    }

    [Fact]
    public async Task A_run_of_5xx_answers_marks_the_member_down_between_probes()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 2,
            extra: "add lb monitor slow TCP -interval 60 -units3 SEC\nbind service s1 -monitorName slow\nbind service s2 -monitorName slow");
        using var client = HttpSetup.Client();
        var services = new[] { setup.Host.Engine.Runtime.Services["s1"], setup.Host.Engine.Runtime.Services["s2"] };

        // Round robin may start at either member, so the first to reach the threshold is whichever got the first 503.
        for (var i = 0; i < 10 && services.All(s => s.IsAvailable); i++)
        {
            using var response = await client.GetAsync(setup.Url("/status/503"));
        }

        var down = Assert.Single(services, s => !s.IsAvailable);
        Assert.Contains("L7STS 503", down.Health.LastReason);
        var other = down == services[0] ? "b2" : "b1";
        Assert.Equal(other, await HttpSetup.WhoAnswersAsync(client, setup.Url()));
        Assert.Equal(other, await HttpSetup.WhoAnswersAsync(client, setup.Url()));
    }
}
