using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Portico.Counters;
using Portico.Events;
using Portico.Listeners;
using Portico.Testing;

namespace Portico.Core.Tests.Listeners;

/// <summary>
/// A vserver whose address another program holds is not reachable, so it is DOWN with the reason in
/// <c>show lb vserver</c>, <c>stat lb vserver</c>, the <c>up</c> gauge and the event log, and UP again
/// (with an event) once a later change lets it listen.
/// </summary>
public class ListenFailureTests
{
    [Theory]
    [InlineData("TCP")]
    [InlineData("HTTP")]
    public async Task A_vserver_whose_address_is_in_use_is_down_with_the_reason_and_up_once_it_listens(string type)
    {
        await using var backend = await TestHttpServer.StartAsync("b1");
        var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;
        await using var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 {type} {backend.Port}
            add lb vserver v {type} 127.0.0.1 {port}
            bind lb vserver v s1
            """);

        var shown = (await host.MustApplyAsync("show lb vserver v")).Describe();
        Assert.Contains("State: DOWN", shown);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", shown);
        Assert.Contains("DOWN", (await host.MustApplyAsync("stat lb vserver")).Describe());
        var catalog = host.Services.GetRequiredService<CounterCatalog>();
        Assert.Equal(0, catalog.Read("portico.vserver.up")["v"]);
        var events = host.Services.GetRequiredService<EventLog>();
        var down = Assert.Single(events.Since(), e => e.Kind == ListenStateEvents.VserverDown);
        Assert.Equal("v", down.Entity);
        Assert.Contains($"127.0.0.1:{port}", down.Message);

        // The other program lets go; the next change that reconciles listeners binds the address.
        squatter.Dispose();
        await host.MustApplyAsync("set lb vserver v -cltTimeout 100");
        Assert.Contains("State: UP", (await host.MustApplyAsync("show lb vserver v")).Describe());
        Assert.Equal(1, catalog.Read("portico.vserver.up")["v"]);
        Assert.Single(events.Since(), e => e.Kind == ListenStateEvents.VserverUp && e.Entity == "v");
        Assert.Single(events.Since(), e => e.Kind == ListenStateEvents.VserverDown);
    }
}
