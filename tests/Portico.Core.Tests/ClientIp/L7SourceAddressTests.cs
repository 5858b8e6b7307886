using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portico.Events;
using Portico.Testing;
using Portico.Upstream;

namespace Portico.Core.Tests.ClientIp;

/// <summary>An L7 request that finds no source address toward its member: refused, and reported for the vserver it came to.</summary>
public sealed class L7SourceAddressTests
{
    [Fact]
    public async Task A_snip_missing_from_the_host_refuses_the_request_and_the_event_names_its_vserver()
    {
        await using var web = await TestHttpServer.StartAsync("b1");
        await using var host = await PorticoHost.StartAsync($"""
            add ns ip 192.0.2.77 255.255.255.0 -type SNIP
            add ns netProfile np -srcIP 192.0.2.77
            add service s1 127.0.0.1 HTTP {web.Port} -netProfile np -healthMonitor NO
            add lb vserver a HTTP 127.0.0.1 {Ports.Free()}
            add lb vserver b HTTP 127.0.0.1 {Ports.Free()}
            bind lb vserver a s1
            bind lb vserver b s1
            """);
        using var client = Http.HttpSetup.Client();

        // 192.0.2.77 is not an address of this host: the connect cannot bind it, and the member is not to blame.
        using var response = await client.GetAsync(new Uri($"http://{host.EndPointOf("b")}/"));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(0, web.Requests);
        var starved = Assert.Single(host.Services.GetRequiredService<EventLog>().Since(), e => e.Kind == SourcePortEvents.Starved);
        Assert.StartsWith("lb vserver b: no usable source address from SNIP 192.0.2.77", starved.Message);
        Assert.Equal("UP", host.Engine.Runtime.Services["s1"].StateWord);
    }
}
