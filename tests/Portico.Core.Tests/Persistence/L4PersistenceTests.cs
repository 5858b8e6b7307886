using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portico.Runtime;
using Portico.Testing;

namespace Portico.Core.Tests.Persistence;

/// <summary>
/// SOURCEIP persistence on L4 vservers, through real sockets: TCP connections and new UDP sessions of one client
/// address go to one member until the client has been away for <c>-timeout</c> minutes, other clients are
/// balanced, and a member that is DOWN or disabled loses its clients to balancing (NetScaler's behaviour).
/// </summary>
public class L4PersistenceTests
{
    [Fact]
    public async Task Tcp_connections_of_one_client_go_to_one_member_until_it_is_away_past_the_timeout()
    {
        await using var setup = await L4PersistenceSetup.StartAsync("-persistenceType SOURCEIP -timeout 2");
        var first = await setup.WhoAnswersAsync("127.0.8.1");

        // Each connection pushes the entry's expiry back: 500 s of connections 100 s apart outlast -timeout 2.
        for (var i = 0; i < 5; i++)
        {
            setup.Time.Advance(TimeSpan.FromSeconds(100));
            Assert.Equal(first, await setup.WhoAnswersAsync("127.0.8.1"));
        }

        // A persisted client takes no turn of round robin: the next client gets the other member.
        Assert.Equal(L4PersistenceSetup.Other(first), await setup.WhoAnswersAsync("127.0.8.2"));

        var shown = await setup.PersistentSessionsAsync();
        Assert.Contains("2 persistence session(s)", shown);
        var line = shown.Split('\n').Single(l => l.Contains("127.0.8.1", StringComparison.Ordinal));
        Assert.Contains("SOURCEIP", line);
        Assert.Contains(L4PersistenceSetup.ServiceOf(first), line);
        Assert.Contains($"127.0.0.1:{setup.Backends[first == "b1" ? 0 : 1].Port.ToString(CultureInfo.InvariantCulture)}", line);
        Assert.Contains("120", line);
        Assert.Contains("portico.persistence.sessions", (await setup.Host.ApplyAsync("show ns counters")).Describe());

        // Away for longer than -timeout 2 (minutes): both entries are gone and the client is balanced again.
        setup.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.Contains("0 persistence session(s)", await setup.PersistentSessionsAsync());
        Assert.Equal(first, await setup.WhoAnswersAsync("127.0.8.3"));
        Assert.Equal(L4PersistenceSetup.Other(first), await setup.WhoAnswersAsync("127.0.8.1"));
    }

    [Fact]
    public async Task A_tcp_client_of_a_disabled_member_is_balanced_again_and_stays_on_its_new_member()
    {
        await using var setup = await L4PersistenceSetup.StartAsync("-persistenceType SOURCEIP");
        var first = await setup.WhoAnswersAsync("127.0.8.1");
        await setup.Host.MustApplyAsync($"disable service {L4PersistenceSetup.ServiceOf(first)}");
        var second = await setup.WhoAnswersAsync("127.0.8.1");
        Assert.Equal(L4PersistenceSetup.Other(first), second);

        // Re-persisted: the member coming back does not take the client back.
        await setup.Host.MustApplyAsync($"enable service {L4PersistenceSetup.ServiceOf(first)}");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(second, await setup.WhoAnswersAsync("127.0.8.1"));
        }

        Assert.Contains(L4PersistenceSetup.ServiceOf(second), (await setup.PersistentSessionsAsync()).Split('\n').Single(l => l.Contains("127.0.8.1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_tcp_client_of_a_member_that_goes_down_moves_without_a_connect_to_the_dead_member()
    {
        await using var setup = await L4PersistenceSetup.StartAsync("-persistenceType SOURCEIP -timeout 10",
            "add lb monitor m TCP -interval 1 -resptimeout 500 MSEC -retries 1\nbind service s1 -monitorName m\nbind service s2 -monitorName m");
        var first = await setup.WhoAnswersAsync("127.0.8.1");
        var member = setup.Host.Engine.Runtime.Services[L4PersistenceSetup.ServiceOf(first)];
        var port = setup.Backends[first == "b1" ? 0 : 1].Port;
        await setup.Backends[first == "b1" ? 0 : 1].DisposeAsync();
        Assert.True(await Eventually.TrueAsync(() =>
        {
            setup.Time.Advance(TimeSpan.FromSeconds(1));
            return member.Health.State == HealthState.Down;
        }, Eventually.Timeout), "the member whose backend stopped never went DOWN");

        // The DOWN member is not even tried (no connect failure): the client is balanced and persisted anew.
        var failures = Interlocked.Read(ref member.Counters.ConnectFailures);
        Assert.Equal(L4PersistenceSetup.Other(first), await setup.WhoAnswersAsync("127.0.8.1"));
        Assert.Equal(L4PersistenceSetup.Other(first), await setup.WhoAnswersAsync("127.0.8.1"));
        Assert.Equal(failures, Interlocked.Read(ref member.Counters.ConnectFailures));
        Assert.Contains(L4PersistenceSetup.ServiceOf(L4PersistenceSetup.Other(first)),
            (await setup.PersistentSessionsAsync()).Split('\n').Single(l => l.Contains("127.0.8.1", StringComparison.Ordinal)));

        // The member comes back UP; round robin would now alternate, the persisted client does not.
        await using var back = TestTcpServer.Start(first, port: port);
        Assert.True(await Eventually.TrueAsync(() =>
        {
            setup.Time.Advance(TimeSpan.FromSeconds(1));
            return member.Health.State == HealthState.Up;
        }, Eventually.Timeout), "the member whose backend came back never went UP");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(L4PersistenceSetup.Other(first), await setup.WhoAnswersAsync("127.0.8.1"));
        }
    }

    [Fact]
    public async Task Udp_sessions_of_one_client_address_go_to_one_member_other_clients_are_balanced_and_entries_expire()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = TestUdpServer.Start("a");
        await using var b = TestUdpServer.Start("b");
        await using var host = await PorticoHost.StartAsync($"""
            add service ua 127.0.0.1 UDP {a.Port}
            add service ub 127.0.0.1 UDP {b.Port}
            add lb vserver u UDP 127.0.0.1 {Ports.FreeUdp()} -lbMethod ROUNDROBIN -persistenceType SOURCEIP -timeout 2
            bind lb vserver u ua
            bind lb vserver u ub
            """, configure: s => s.AddSingleton<TimeProvider>(time));
        var vip = host.EndPointOf("u");

        // Each socket is a session of its own (its own port); without persistence round robin would alternate them.
        var first = await AskFromAsync("127.0.9.1", vip);
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(100));
            Assert.Equal(first, await AskFromAsync("127.0.9.1", vip));
        }

        var other = first == "a" ? "b" : "a";
        Assert.Equal(other, await AskFromAsync("127.0.9.2", vip));
        var shown = (await host.ApplyAsync("show lb persistentSessions u")).Describe();
        Assert.Contains("2 persistence session(s)", shown);
        Assert.Contains("u" + first, shown.Split('\n').Single(l => l.Contains("127.0.9.1", StringComparison.Ordinal)));

        // A disabled member's client opens its next session on the other member, and stays there.
        await host.MustApplyAsync($"disable service u{first}");
        Assert.Equal(other, await AskFromAsync("127.0.9.1", vip));
        await host.MustApplyAsync($"enable service u{first}");
        Assert.Equal(other, await AskFromAsync("127.0.9.1", vip));

        time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.Contains("0 persistence session(s)", (await host.ApplyAsync("show lb persistentSessions u")).Describe());
    }

    /// <summary>Opens a new UDP session from <paramref name="client"/> and returns the name of the member that answers.</summary>
    private static async Task<string> AskFromAsync(string client, IPEndPoint vip)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(client), 0));
        var reply = await TestUdpServer.AskAsync(socket, vip, "hello");
        Assert.NotNull(reply);
        return reply!.Split(':')[0];
    }
}
