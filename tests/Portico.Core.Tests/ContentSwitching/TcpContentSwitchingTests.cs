using System.Net;
using System.Net.Sockets;
using System.Text;
using Portico.ContentSwitching.Commands;
using Portico.Testing;

namespace Portico.Core.Tests.ContentSwitching;

/// <summary>
/// A TCP cs vserver: each connection goes on to the TCP lb vserver its rules choose by the connection's addresses
/// (CLIENT.IP rules), with real clients bound to loopback addresses of their own and real backends that name
/// themselves on connect.
/// </summary>
public class TcpContentSwitchingTests
{
    private static async Task<(PorticoHost Host, TestTcpServer[] Backends)> StartAsync(string extra = "")
    {
        var backends = new[] { TestTcpServer.Start("office"), TestTcpServer.Start("partner"), TestTcpServer.Start("world") };
        var host = await PorticoHost.StartAsync($"""
            add service office1 127.0.0.1 TCP {backends[0].Port}
            add service partner1 127.0.0.1 TCP {backends[1].Port}
            add service world1 127.0.0.1 TCP {backends[2].Port}
            add lb vserver lb-office TCP 0.0.0.0 0
            add lb vserver lb-partner TCP 0.0.0.0 0
            add lb vserver lb-world TCP 0.0.0.0 0
            bind lb vserver lb-office office1
            bind lb vserver lb-partner partner1
            bind lb vserver lb-world world1
            add cs vserver front TCP 127.0.0.1 {Ports.Free()}
            add cs action to-office -targetLBVserver lb-office
            add cs policy from-office -rule "CLIENT.IP.SRC.IN_SUBNET(127.0.0.2/32)" -action to-office
            add cs policy from-partner -rule "CLIENT.IP.SRC.EQ(127.0.0.3) && CLIENT.TCP.DSTPORT.GT(0)"
            bind cs vserver front -policyName from-office -priority 10
            bind cs vserver front -policyName from-partner -priority 20 -targetLBVserver lb-partner
            bind cs vserver front -lbvserver lb-world
            {extra}
            """);
        return (host, backends);
    }

    /// <summary>Connects from <paramref name="from"/> and returns the first line the backend sends: its name.</summary>
    private static async Task<string> WhoAsync(PorticoHost host, string from)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        await socket.ConnectAsync(host.EndPointOf("front"));
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadLineAsync().WaitAsync(Eventually.Timeout) ?? "(closed)";
    }

    [Fact]
    public async Task Connections_go_to_the_lb_vserver_their_client_address_chooses_else_the_default()
    {
        var (host, backends) = await StartAsync();
        await using var _ = host;
        Assert.Equal("office", await WhoAsync(host, "127.0.0.2"));
        Assert.Equal("partner", await WhoAsync(host, "127.0.0.3"));
        Assert.Equal("world", await WhoAsync(host, "127.0.0.4"));
        Assert.Equal("office", await WhoAsync(host, "127.0.0.2"));

        var stat = Assert.Single(((CsVserverStats)(await host.MustApplyAsync("stat cs vserver front")).Results.Single()).Vservers);
        Assert.Equal(4, stat.Connections);
        Assert.Equal(1, stat.DefaultHits);
        Assert.Equal([("from-office", 2L), ("from-partner", 1L)], stat.Policies.Select(p => (p.Policy, p.Hits)));
        Assert.Equal(2, Interlocked.Read(ref host.Engine.Runtime.Vservers["lb-office"].Counters.TotalConnections));
        foreach (var b in backends)
        {
            await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_a_default_an_unmatched_connection_is_refused_and_counted()
    {
        var (host, backends) = await StartAsync("unbind cs vserver front -lbvserver lb-world");
        await using var _ = host;
        // The reset reaches the client as it connects or as it reads, by the race of accept and connect.
        var refused = await Record.ExceptionAsync(() => WhoAsync(host, "127.0.0.4"));
        var reset = Assert.IsType<SocketException>(refused as SocketException ?? refused?.InnerException);
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
        var stat = Assert.Single(((CsVserverStats)(await host.MustApplyAsync("stat cs vserver front")).Results.Single()).Vservers);
        Assert.Equal(1, stat.Unserved);
        Assert.Equal(0, backends[2].Accepted);
        foreach (var b in backends)
        {
            await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_change_of_rules_routes_new_connections_and_keeps_the_established_ones()
    {
        var (host, backends) = await StartAsync();
        await using var _ = host;
        using var held = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        held.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        await held.ConnectAsync(host.EndPointOf("front"));
        await using var stream = new NetworkStream(held);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.Equal("office", await reader.ReadLineAsync().WaitAsync(Eventually.Timeout));

        await host.MustApplyAsync("set cs policy from-office -rule \"CLIENT.IP.SRC.IN_SUBNET(127.0.0.9/32)\"");
        Assert.Equal("world", await WhoAsync(host, "127.0.0.2"));

        // The connection accepted before the change still reaches its backend, which echoes.
        await stream.WriteAsync("still here\n"u8.ToArray());
        Assert.Equal("still here", await reader.ReadLineAsync().WaitAsync(Eventually.Timeout));
        foreach (var b in backends)
        {
            await b.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("add cs policy by-host -rule \"HTTP.REQ.HOSTNAME.EQ(\\\"a.example\\\")\" -action to-office\nbind cs vserver front -policyName by-host -priority 30",
        "'by-host' reads HTTP and 'front' is a TCP cs vserver")]
    [InlineData("add service web1 127.0.0.1 HTTP 80\nadd lb vserver lb-web HTTP 0.0.0.0 0\nbind lb vserver lb-web web1\nadd cs policy any -rule TRUE\nbind cs vserver front -policyName any -priority 30 -targetLBVserver lb-web",
        "'lb-web' is HTTP; the TCP cs vserver 'front' sends connections to TCP lb vservers")]
    [InlineData("add cs vserver web HTTP 127.0.0.1 0\nbind cs vserver web -lbvserver lb-world",
        "'lb-world' is TCP; cs vservers send requests to HTTP or SSL lb vservers")]
    public async Task Rules_and_targets_that_do_not_suit_the_cs_vserver_type_are_refused_and_nothing_applies(string batch, string message)
    {
        var (host, backends) = await StartAsync();
        await using var _ = host;
        var before = Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
        var result = await host.ApplyAsync(batch);
        Assert.Contains(result.Errors, e => e.ToString().Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch));
        foreach (var b in backends)
        {
            await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task Save_config_writes_a_tcp_cs_vserver_back()
    {
        var (host, backends) = await StartAsync();
        await using var _ = host;
        var text = Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
        Assert.Contains("add cs vserver front TCP 127.0.0.1 ", text);
        Assert.Contains("bind cs vserver front -policyName from-partner -priority 20 -targetLBVserver lb-partner", text);
        foreach (var b in backends)
        {
            await b.DisposeAsync();
        }
    }
}
