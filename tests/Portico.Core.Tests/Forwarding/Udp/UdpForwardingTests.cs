using System.Net;
using System.Net.Sockets;
using Portico.Testing;

namespace Portico.Core.Tests.Forwarding.Udp;

/// <summary>UDP vservers: sessions per client endpoint, balanced, expiring, counted.</summary>
public class UdpForwardingTests
{
    private static async Task<(PorticoHost Host, TestUdpServer A, TestUdpServer B, IPEndPoint Vip)> StartAsync(string options = "-lbMethod ROUNDROBIN")
    {
        var a = TestUdpServer.Start("a");
        var b = TestUdpServer.Start("b");
        var host = await PorticoHost.StartAsync($"""
            add service ua 127.0.0.1 UDP {a.Port}
            add service ub 127.0.0.1 UDP {b.Port}
            add lb vserver u UDP 127.0.0.1 {Ports.FreeUdp()} {options}
            bind lb vserver u ua
            bind lb vserver u ub
            """);
        return (host, a, b, host.EndPointOf("u"));
    }

    [Fact]
    public async Task A_client_endpoint_keeps_its_member_and_new_clients_are_balanced()
    {
        var (host, a, b, vip) = await StartAsync();
        await using var _ = host;
        await using var __ = a;
        await using var ___ = b;
        using var c1 = TestUdpServer.NewClient();
        using var c2 = TestUdpServer.NewClient();
        var first = await TestUdpServer.AskAsync(c1, vip, "hello");
        var second = await TestUdpServer.AskAsync(c2, vip, "hello");
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first![0], second![0]);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"{first[0]}:again{i}", await TestUdpServer.AskAsync(c1, vip, $"again{i}"));
        }

        var counters = host.Engine.Runtime.Vservers["u"].Counters;
        Assert.Equal(2, Interlocked.Read(ref counters.CurrentClientConnections));
        Assert.Equal("hello".Length * 2 + "again0".Length * 5, Interlocked.Read(ref counters.BytesFromClients));
    }

    [Fact]
    public async Task An_idle_session_expires_and_is_counted()
    {
        var (host, a, b, vip) = await StartAsync("-lbMethod ROUNDROBIN -cltTimeout 1");
        await using var _ = host;
        await using var __ = a;
        await using var ___ = b;
        using var c = TestUdpServer.NewClient();
        Assert.NotNull(await TestUdpServer.AskAsync(c, vip, "x"));
        var counters = host.Engine.Runtime.Vservers["u"].Counters;
        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref counters.CurrentClientConnections) == 0, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, Interlocked.Read(ref counters.IdleTimeouts));
    }

    [Fact]
    public async Task Without_an_available_service_datagrams_are_dropped_and_counted()
    {
        var (host, a, b, vip) = await StartAsync();
        await using var _ = host;
        await using var __ = a;
        await using var ___ = b;
        await host.MustApplyAsync("disable service ua\ndisable service ub");
        using var c = TestUdpServer.NewClient();
        Assert.Null(await TestUdpServer.AskAsync(c, vip, "x", TimeSpan.FromMilliseconds(300)));

        // The client gives up after 300 ms; on a loaded machine the datagram may be counted just after.
        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref host.Engine.Runtime.Vservers["u"].Counters.Refused) == 1, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task A_member_answering_port_unreachable_ends_the_session_and_counts_a_failure()
    {
        var dead = Ports.FreeUdp();
        await using var host = await PorticoHost.StartAsync($"add service d 127.0.0.1 UDP {dead}\nadd lb vserver u UDP 127.0.0.1 {Ports.FreeUdp()}\nbind lb vserver u d");
        using var c = TestUdpServer.NewClient();
        var vip = host.EndPointOf("u");
        Assert.Null(await TestUdpServer.AskAsync(c, vip, "x", TimeSpan.FromMilliseconds(300)));
        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref host.Engine.Runtime.Services["d"].Counters.ConnectFailures) == 1, TimeSpan.FromSeconds(3)));
        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref host.Engine.Runtime.Vservers["u"].Counters.CurrentClientConnections) == 0, TimeSpan.FromSeconds(3)));
    }
}
