using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portico.Acl;
using Portico.Core.Tests.Forwarding.Tcp;
using Portico.Testing;

namespace Portico.Core.Tests.Acl;

/// <summary>ACLs on the L4 TCP path, with real clients and backends on loopback.</summary>
public class AclAdmissionTests
{
    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task A_simple_acl_resets_the_client_before_a_byte_reaches_a_backend_and_is_counted()
    {
        // Unprobed, so every connection the backend accepts is one the ACL let through.
        await using var setup = await L4Setup.StartAsync(backends: 1, extra: "set service s1 -healthMonitor NO");
        await setup.Host.MustApplyAsync("add ns simpleacl blk DENY -srcIP 127.0.0.1");
        Assert.True(await AclClient.IsRefusedAsync(setup.Vip));
        Assert.True(await AclClient.IsRefusedAsync(setup.Vip));
        Assert.False(await AclClient.IsRefusedAsync(setup.Vip, Other));

        var counters = setup.Host.Engine.Runtime.Vservers["v"].Counters;
        Assert.Equal((2L, 1L), (Interlocked.Read(ref counters.Denied), Interlocked.Read(ref counters.TotalConnections)));
        Assert.Equal(1, setup.Backends[0].Accepted);
        var rule = setup.Host.Engine.Store.Current.SimpleAcls.Find(AclFamily.V4, "blk", DateTime.UtcNow.Ticks)!;
        Assert.Equal(2, Interlocked.Read(ref rule.Counters.Hits));
        var stat = (await setup.Host.MustApplyAsync("stat ns simpleacl\nstat lb vserver v")).Output;
        Assert.Matches(@"SACLHits\)\s+2", stat[0]);
        Assert.Matches(@"SACLMiss\)\s+1", stat[0]);
        Assert.Matches(@"v\s+UP\s+\d\s+1\s+1\s+\d+\s+\d+\s+0\s+2\s", stat[1]);
    }

    [Fact]
    public async Task A_port_rule_blocks_that_port_and_protocol_only()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1);
        var other = Ports.Free();
        await setup.Host.MustApplyAsync($"add lb vserver w TCP 127.0.0.1 {other}\nbind lb vserver w s1");
        var port = setup.Vip.Port;
        await setup.Host.MustApplyAsync($"add ns simpleacl udp DENY -srcIP 127.0.0.1 -destPort {port} -protocol UDP");
        Assert.False(await AclClient.IsRefusedAsync(setup.Vip));
        await setup.Host.MustApplyAsync($"add ns simpleacl tcp DENY -srcIP 127.0.0.1 -destPort {port} -protocol TCP");
        Assert.True(await AclClient.IsRefusedAsync(setup.Vip));
        Assert.False(await AclClient.IsRefusedAsync(setup.Host.EndPointOf("w")));
    }

    [Fact]
    public async Task A_simple_deny_beats_an_extended_allow()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1);
        await setup.Host.MustApplyAsync("add ns acl ok ALLOW -srcIP 127.0.0.0-127.0.0.255 -priority 1\napply ns acls");
        Assert.False(await AclClient.IsRefusedAsync(setup.Vip));
        await setup.Host.MustApplyAsync("add ns simpleacl blk DENY -srcIP 127.0.0.1");
        Assert.True(await AclClient.IsRefusedAsync(setup.Vip));

        var policy = setup.Host.Services.GetRequiredService<AclAdmissionPolicy>();
        Assert.Equal(1, Interlocked.Read(ref policy.ExtendedStats(AclFamily.V4).Allowed));
        Assert.Equal(1, Interlocked.Read(ref policy.SimpleStats(AclFamily.V4).Denied));
    }

    [Fact]
    public async Task Pending_rules_change_nothing_and_apply_resets_only_the_sessions_new_deny_rules_cover()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1);
        using var blocked = await AclClient.ConnectAsync(setup.Vip);
        using var spared = await AclClient.ConnectAsync(setup.Vip, Other);

        await setup.Host.MustApplyAsync("add ns acl cut DENY -srcIP = 127.0.0.1 -protocol TCP");
        Assert.True(await AclClient.EchoesAsync(blocked));
        Assert.False(await AclClient.IsRefusedAsync(setup.Vip));

        var output = (await setup.Host.MustApplyAsync("apply ns acls\nshow ns acl")).Output;
        Assert.Matches(@"cut\s+DENY\s+10\s+ENABLED\s+APPLIED", output[0]);
        Assert.True(await AclClient.WasCutAsync(blocked, TimeSpan.FromSeconds(5)), "the covered session survived apply");
        Assert.True(await AclClient.EchoesAsync(spared));
        Assert.True(await AclClient.IsRefusedAsync(setup.Vip));
        Assert.False(await AclClient.IsRefusedAsync(setup.Vip, Other));
    }

    [Fact]
    public async Task A_new_simple_acl_leaves_established_connections_until_flush_est_sessions()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1);
        using var established = await AclClient.ConnectAsync(setup.Vip);
        using var spared = await AclClient.ConnectAsync(setup.Vip, Other);
        await setup.Host.MustApplyAsync("add ns simpleacl blk DENY -srcIP 127.0.0.1");
        Assert.True(await AclClient.EchoesAsync(established));

        var flushed = await setup.Host.MustApplyAsync("flush ns simpleacl -estSessions");
        Assert.Equal("1 established connection(s) reset\n", flushed.Output[0]);
        Assert.True(await AclClient.WasCutAsync(established, TimeSpan.FromSeconds(5)));
        Assert.True(await AclClient.EchoesAsync(spared));
        Assert.Contains("write flush ns simpleacl -estSessions", (await setup.Host.ApplyAsync("flush ns simpleacl")).Output[0]);
    }

    [Fact]
    public async Task Ipv6_clients_meet_simpleacl6_and_acl6_rules_and_not_the_ipv4_ones()
    {
        await using var backend = TestTcpServer.Start("b");
        await using var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 TCP {backend.Port}
            add lb vserver v6 TCP ::1 {Ports.Free()}
            bind lb vserver v6 s1
            add ns simpleacl v4only DENY -srcIP 127.0.0.1
            add ns acl v4deny DENY -srcIP 127.0.0.1
            apply ns acls
            """);
        var vip = host.EndPointOf("v6");
        using var established = await AclClient.ConnectAsync(vip);

        await host.MustApplyAsync("add ns acl6 deny6 DENY -srcIPv6 ::1 -destPort " + vip.Port + " -protocol TCP\napply ns acls6");
        Assert.True(await AclClient.WasCutAsync(established, TimeSpan.FromSeconds(5)));
        Assert.True(await AclClient.IsRefusedAsync(vip));
        await host.MustApplyAsync("rm ns acl6 deny6\napply ns acls6");
        Assert.False(await AclClient.IsRefusedAsync(vip));
        await host.MustApplyAsync("add ns simpleacl6 blk6 DENY -srcIPv6 ::1");
        Assert.True(await AclClient.IsRefusedAsync(vip));
        Assert.Equal(2, Interlocked.Read(ref host.Engine.Runtime.Vservers["v6"].Counters.Denied));
    }

    [Fact]
    public async Task A_ttl_rule_blocks_until_the_clock_passes_its_deadline()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var backend = TestTcpServer.Start("b");
        await using var host = await PorticoHost.StartAsync(
            $"add service s1 127.0.0.1 TCP {backend.Port}\nadd lb vserver v TCP 127.0.0.1 {Ports.Free()}\nbind lb vserver v s1",
            configure: s => s.AddSingleton<TimeProvider>(time));
        var vip = host.EndPointOf("v");
        await host.MustApplyAsync("add ns simpleacl ban DENY -srcIP 127.0.0.1 -TTL 60");
        Assert.True(await AclClient.IsRefusedAsync(vip));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(await AclClient.IsRefusedAsync(vip));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await AclClient.IsRefusedAsync(vip));
        Assert.Contains("0 simple ACL(s)", (await host.MustApplyAsync("show ns simpleacl")).Output[0]);
    }
}
