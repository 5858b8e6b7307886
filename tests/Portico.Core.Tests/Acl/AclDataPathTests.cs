using System.Net;
using System.Net.Sockets;
using System.Text;
using Portico.Core.Tests.Http;
using Portico.Testing;

namespace Portico.Core.Tests.Acl;

/// <summary>The same ACL stage on the UDP path (per datagram without a session) and the L7 path (before HTTP or TLS).</summary>
public class AclDataPathTests
{
    [Fact]
    public async Task Udp_datagrams_of_a_blocked_client_are_dropped_and_counted_one_by_one()
    {
        await using var backend = TestUdpServer.Start("u");
        var port = Ports.FreeUdp();
        await using var host = await PorticoHost.StartAsync($"add service s1 127.0.0.1 UDP {backend.Port}\nadd lb vserver u UDP 127.0.0.1 {port}\nbind lb vserver u s1");
        var vip = host.EndPointOf("u");
        await host.MustApplyAsync($"add ns simpleacl dns DENY -srcIP 127.0.0.1 -destPort {port} -protocol UDP");
        using var client = TestUdpServer.NewClient();
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await TestUdpServer.AskAsync(client, vip, $"q{i}", TimeSpan.FromMilliseconds(200)));
        }

        var counters = host.Engine.Runtime.Vservers["u"].Counters;
        Assert.Equal((3L, 0L), (Interlocked.Read(ref counters.Denied), Interlocked.Read(ref counters.TotalConnections)));
        Assert.Equal(0, backend.Received);

        await host.MustApplyAsync("rm ns simpleacl dns");
        Assert.Equal("u:again", await TestUdpServer.AskAsync(client, vip, "again"));
    }

    [Fact]
    public async Task Applying_a_deny_rule_closes_the_udp_sessions_it_covers()
    {
        await using var backend = TestUdpServer.Start("u");
        await using var host = await PorticoHost.StartAsync($"add service s1 127.0.0.1 UDP {backend.Port}\nadd lb vserver u UDP 127.0.0.1 {Ports.FreeUdp()}\nbind lb vserver u s1");
        var vip = host.EndPointOf("u");
        using var covered = TestUdpServer.NewClient();
        using var spared = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        spared.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        Assert.Equal("u:a", await TestUdpServer.AskAsync(covered, vip, "a"));
        Assert.Equal("u:b", await TestUdpServer.AskAsync(spared, vip, "b"));
        var counters = host.Engine.Runtime.Vservers["u"].Counters;
        Assert.Equal(2, Interlocked.Read(ref counters.CurrentClientConnections));

        await host.MustApplyAsync("add ns acl noudp DENY -srcIP 127.0.0.1 -protocol UDP\napply ns acls");
        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref counters.CurrentClientConnections) == 1, TimeSpan.FromSeconds(5)));
        Assert.Null(await TestUdpServer.AskAsync(covered, vip, "c", TimeSpan.FromMilliseconds(300)));
        Assert.Equal("u:d", await TestUdpServer.AskAsync(spared, vip, "d"));
    }

    [Fact]
    public async Task An_http_client_is_reset_before_its_request_and_apply_resets_kept_alive_connections()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        using var kept = HttpSetup.Client(IPAddress.Parse("127.0.0.3"));
        using var spared = HttpSetup.Client(IPAddress.Parse("127.0.0.4"));
        Assert.Equal("b1", await HttpSetup.WhoAnswersAsync(kept, setup.Url()));
        Assert.Equal("b1", await HttpSetup.WhoAnswersAsync(spared, setup.Url()));

        // A raw kept-alive connection from the covered address: apply must reset it, not wait for its next request.
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        raw.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0));
        await raw.ConnectAsync(setup.Vip);
        await raw.SendAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {setup.Vip}\r\n\r\n"), SocketFlags.None);
        var buffer = new byte[4096];
        Assert.Contains("200 OK", Encoding.ASCII.GetString(buffer, 0, await raw.ReceiveAsync(buffer, SocketFlags.None)));

        await setup.Host.MustApplyAsync("add ns acl web DENY -srcIP 127.0.0.3 -destPort " + setup.Vip.Port + " -protocol TCP\napply ns acls");
        Assert.True(await AclClient.WasCutAsync(raw, TimeSpan.FromSeconds(5)), "the kept-alive L7 connection survived apply");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => kept.GetAsync(setup.Url()));
        Assert.Equal("b1", await HttpSetup.WhoAnswersAsync(spared, setup.Url()));
        Assert.True(Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.Denied) >= 1);
    }
}
