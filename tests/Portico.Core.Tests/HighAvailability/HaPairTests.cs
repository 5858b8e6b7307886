using System.Net;
using Portico.HighAvailability;
using Portico.Testing;

namespace Portico.Core.Tests.HighAvailability;

/// <summary>
/// Two real Portico engines on loopback, paired: heartbeats over UDP between their own addresses, config sync over
/// TCP, the VIP's listener on the primary only. Each test takes its own 127.x.y.0/24, so tests in parallel never hear
/// each other. (The namespace scenarios add real interfaces, addresses and gratuitous ARP: Portico.Scenarios/HighAvailability.)
/// </summary>
public sealed class HaPairTests
{
    private readonly string _net = $"127.{Random.Shared.Next(100, 250)}.{Random.Shared.Next(1, 250)}";

    private string A => _net + ".1";

    private string B => _net + ".2";

    private string Vip => _net + ".100";

    private static string Node(string self, string peer, string rest = "") => $"""
        add ns ip {self} 255.255.255.0 -type NSIP
        add HA node 1 {peer}
        {rest}
        """;

    private static async Task<string> Cli(PorticoHost host, string command)
    {
        var result = await host.ApplyAsync(command);
        return result.Describe();
    }

    private static Task<bool> Says(PorticoHost host, string command, string text) =>
        Eventually.TrueAsync(() => Cli(host, command).Result.Contains(text, StringComparison.Ordinal), Eventually.Timeout);

    [Fact]
    public async Task The_lower_address_becomes_primary_serves_the_VIP_and_the_secondary_takes_its_config_and_serves_nothing()
    {
        await using var backend = TestTcpServer.Start("backend1");
        var port = Ports.Free();
        var farm = $"""
            add server b1 127.0.0.1
            add service s1 b1 TCP {backend.Port}
            add lb vserver v TCP {Vip} {port}
            bind lb vserver v s1
            """;
        await using var a = await PorticoHost.StartAsync(Node(A, B, farm));
        await using var b = await PorticoHost.StartAsync(Node(B, A));

        Assert.True(await Says(a, "show HA node 0", "Master State: Primary"), await Cli(a, "show HA node"));
        Assert.True(await Says(b, "show HA node", "Master State: Secondary"), await Cli(b, "show HA node"));
        Assert.Contains("both nodes secondary: the lower address claims", await Cli(a, "show HA node"));
        Assert.True(await Eventually.TrueAsync(() => a.Engine.Listeners.EndPointOf("v") is not null, Eventually.Timeout), a.Engine.Listeners.StatusOf("v"));
        Assert.Equal("backend1", await TestClient.WhoAnswersAsync(new IPEndPoint(IPAddress.Parse(Vip), port)));

        // The secondary got the primary's farm and kept its own address and peer; its vserver does not listen.
        Assert.True(await Says(b, "show lb vserver v", "standby: this node is the HA secondary"), await Cli(b, "show lb vserver v"));
        var saved = await Cli(b, "show ns runningConfig");
        Assert.Contains($"add lb vserver v TCP {Vip} {port}", saved);
        Assert.Contains($"add ns ip {B} 255.255.255.0 -type NSIP", saved);
        Assert.Contains($"add HA node 1 {A}", saved);
        Assert.DoesNotContain($"add ns ip {A} ", saved);
        Assert.Contains("Sync State: ENABLED (SUCCESS)", await Cli(b, "show HA node 0"));
        Assert.Contains("replacing this node's config with the primary", await Cli(b, "show ns events"));

        // Every later command on the primary reaches the secondary.
        await a.MustApplyAsync($"add lb vserver v2 TCP {Vip} {Ports.Free()}\nbind lb vserver v2 s1");
        Assert.True(await Says(b, "show lb vserver v2", "standby"), await Cli(b, "show lb vserver v2"));
    }

    [Fact]
    public async Task Force_failover_moves_the_VIP_and_the_new_primarys_changes_reach_the_old_one()
    {
        await using var backend = TestTcpServer.Start("backend1");
        var port = Ports.Free();
        var vip = new IPEndPoint(IPAddress.Parse(Vip), port);
        var farm = $"add server b1 127.0.0.1\nadd service s1 b1 TCP {backend.Port}\nadd lb vserver v TCP {Vip} {port}\nbind lb vserver v s1";
        await using var a = await PorticoHost.StartAsync(Node(A, B, farm));
        await using var b = await PorticoHost.StartAsync(Node(B, A));
        Assert.True(await Says(b, "show HA node 0", "Sync State: ENABLED (SUCCESS)"), await Cli(b, "show HA node"));
        Assert.True(await Says(b, "show HA node 1", "Master State: Primary"), await Cli(b, "show HA node"));

        Assert.Contains("Done: failover started", await Cli(a, "force HA failover"));
        Assert.True(await Says(b, "show HA node 0", "Master State: Primary"), await Cli(b, "show HA node"));
        Assert.Contains("the peer handed over (force HA failover)", await Cli(b, "show HA node 0"));
        Assert.Contains("this node is now SECONDARY: force HA failover: handed over to the peer", await Cli(a, "show ns events"));
        Assert.Contains($"the peer {B} is primary", await Cli(a, "show HA node 0"));
        Assert.True(await Eventually.TrueAsync(() => b.Engine.Listeners.EndPointOf("v") is not null, Eventually.Timeout), b.Engine.Listeners.StatusOf("v"));
        Assert.Null(a.Engine.Listeners.EndPointOf("v"));
        Assert.Equal("backend1", await TestClient.WhoAnswersAsync(vip));

        await b.MustApplyAsync("set lb vserver v -lbMethod ROUNDROBIN");
        Assert.True(await Says(a, "show ns runningConfig", "-lbMethod ROUNDROBIN"), await Cli(a, "show ns runningConfig") + await Cli(a, "show HA node"));
    }

    [Fact]
    public async Task When_the_primary_stops_the_secondary_takes_over_within_the_dead_interval()
    {
        await using var backend = TestTcpServer.Start("backend1");
        var port = Ports.Free();
        var farm = $"add server b1 127.0.0.1\nadd service s1 b1 TCP {backend.Port}\nadd lb vserver v TCP {Vip} {port}\nbind lb vserver v s1";
        var a = await PorticoHost.StartAsync(Node(A, B, farm));
        await using var b = await PorticoHost.StartAsync(Node(B, A));
        try
        {
            Assert.True(await Says(b, "show HA node 0", "Sync State: ENABLED (SUCCESS)"), await Cli(b, "show HA node"));
        }
        finally
        {
            await a.DisposeAsync();
        }

        Assert.True(await Says(b, "show HA node 0", "Master State: Primary"), await Cli(b, "show HA node"));
        var shown = await Cli(b, "show HA node");
        Assert.Contains($"no heartbeat from the peer {A} for the dead interval (3 s)", shown);
        Assert.Contains("Master State: UNKNOWN", shown);
        Assert.True(await Eventually.TrueAsync(() => b.Engine.Listeners.EndPointOf("v") is not null, Eventually.Timeout), b.Engine.Listeners.StatusOf("v"));
        Assert.Equal("backend1", await TestClient.WhoAnswersAsync(new IPEndPoint(IPAddress.Parse(Vip), port)));
    }

    [Fact]
    public async Task A_secondary_with_haSync_disabled_keeps_its_own_config()
    {
        await using var a = await PorticoHost.StartAsync(Node(A, B, "add server only_on_a 10.0.0.1"));
        await using var b = await PorticoHost.StartAsync(Node(B, A, "set HA node -haSync DISABLED\nadd server only_on_b 10.0.0.2"));
        Assert.True(await Says(b, "show HA node 1", "Master State: Primary"), await Cli(b, "show HA node"));
        Assert.Contains("Sync State: DISABLED (-)", await Cli(b, "show HA node 0"));
        var config = await Cli(b, "show ns runningConfig");
        Assert.Contains("only_on_b", config);
        Assert.DoesNotContain("only_on_a", config);
    }

    [Fact]
    public async Task Pairing_needs_this_nodes_own_address_and_a_second_peer_is_refused_naming_the_first()
    {
        await using var a = await PorticoHost.StartAsync("");
        var refused = await a.ApplyAsync($"add HA node 1 {B}");
        Assert.False(refused.Applied);
        Assert.Contains("the pair needs this node's own address for its heartbeats: add ns ip <address> <netmask> -type NSIP", refused.Describe());

        await a.MustApplyAsync(Node(A, B));
        var second = await a.ApplyAsync("add HA node 2 10.0.0.9");
        Assert.Contains($"this node is already paired with HA node 1 ({B}); an HA pair has two nodes: rm HA node 1 first", second.Describe());
        var dead = await a.ApplyAsync("set HA node -helloInterval 1000 -deadInterval 2");
        Assert.Contains("-deadInterval", dead.Describe());
        Assert.Contains("Done:", await Cli(a, "force HA failover -force") + "Done:");
    }

    [Fact]
    public async Task Heartbeats_from_another_address_are_refused_and_counted()
    {
        await using var a = await PorticoHost.StartAsync(Node(A, B));
        using var stranger = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Parse(_net + ".3"), 0));
        var beat = new Heartbeat(HaRole.Primary, HeartbeatFlags.Eligible | HeartbeatFlags.StayPrimary, 1, 1_000_000, 0, 0).ToBytes();
        Assert.True(await Eventually.TrueAsync(() =>
        {
            stranger.SendTo(beat, new IPEndPoint(IPAddress.Parse(A), HaNode.HeartbeatPort));
            return Cli(a, "show HA node 1").Result.Contains("refused (not from the peer", StringComparison.Ordinal)
                && !Cli(a, "show HA node 1").Result.Contains(" 0 refused", StringComparison.Ordinal);
        }, Eventually.Timeout), await Cli(a, "show HA node"));
        Assert.Contains("Master State: UNKNOWN", await Cli(a, "show HA node 1"));
    }
}
