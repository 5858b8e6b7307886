using System.Net;
using Microsoft.Extensions.Time.Testing;
using Portico.HighAvailability;

namespace Portico.Core.Tests.HighAvailability;

/// <summary>The pair's rules on fake time: who becomes primary, when, and why, as show HA node says it.</summary>
public class HaStateMachineTests
{
    private static readonly IPAddress A = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress B = IPAddress.Parse("10.0.0.2");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private HaStateMachine Node(IPAddress self, IPAddress peer, HaSettings? settings = null, HaRole initial = HaRole.Secondary)
    {
        var m = new HaStateMachine(_time, self, initial);
        m.Configure(new HaPeer(1, peer), settings ?? HaSettings.Default);
        return m;
    }

    private static Heartbeat Beat(HaRole role, HeartbeatFlags flags = HeartbeatFlags.Eligible, uint primaryFor = 0) => new(role, flags, 1, primaryFor, 0, 0);

    [Fact]
    public void A_node_that_hears_nobody_takes_over_after_the_dead_interval_not_before()
    {
        var m = Node(B, A);
        _time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.False(m.Tick());
        Assert.Equal(HaRole.Secondary, m.Role);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(m.Tick());
        Assert.Equal(HaRole.Primary, m.Role);
        Assert.Contains("no heartbeat from the peer 10.0.0.1 within the dead interval (3 s) since start", m.Reason);
    }

    [Fact]
    public void The_secondary_takes_over_when_the_primarys_heartbeats_stop_for_the_dead_interval()
    {
        var m = Node(B, A);
        for (var i = 0; i < 20; i++)
        {
            m.Heard(Beat(HaRole.Primary, primaryFor: 60_000));
            _time.Advance(TimeSpan.FromMilliseconds(200));
            m.Tick();
        }

        Assert.Equal(HaRole.Secondary, m.Role);
        Assert.Equal("the peer 10.0.0.1 is primary", m.Reason);
        _time.Advance(TimeSpan.FromMilliseconds(2799));
        Assert.False(m.Tick());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(m.Tick());
        Assert.Equal(HaRole.Primary, m.Role);
        Assert.Equal("no heartbeat from the peer 10.0.0.1 for the dead interval (3 s)", m.Reason);
    }

    [Fact]
    public void A_longer_dead_interval_waits_longer()
    {
        var m = Node(B, A, HaSettings.Default with { DeadSeconds = 10 });
        m.Heard(Beat(HaRole.Primary, primaryFor: 1000));
        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(m.Tick());
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(m.Tick());
    }

    [Fact]
    public void Two_starting_nodes_that_hear_each_other_let_the_lower_address_claim()
    {
        var a = Node(A, B);
        var b = Node(B, A);
        a.Heard(b.Outgoing(1, 0, 0));
        b.Heard(a.Outgoing(1, 0, 0));
        Assert.Equal(HaRole.Primary, a.Role);
        Assert.Equal("both nodes secondary: the lower address claims", a.Reason);
        b.Heard(a.Outgoing(2, 0, 0));
        Assert.Equal(HaRole.Secondary, b.Role);
        Assert.Equal("the peer 10.0.0.1 is primary", b.Reason);
    }

    [Fact]
    public void Force_failover_on_the_primary_hands_over_and_the_old_primary_does_not_claim_back()
    {
        var a = Node(A, B, initial: HaRole.Primary);
        var b = Node(B, A);
        b.Heard(a.Outgoing(1, 0, 0));
        a.Heard(b.Outgoing(1, 0, 0));
        Assert.Null(a.ForceFailover(force: false));
        Assert.Equal(HaRole.Secondary, a.Role);
        Assert.Equal("force HA failover: handed over to the peer", a.Reason);

        // The lower address would claim a pair of secondaries, but a node handing over waits for the peer.
        a.Heard(b.Outgoing(2, 0, 0));
        Assert.Equal(HaRole.Secondary, a.Role);
        Assert.False(b.PeerHandsOver);
        b.Heard(a.Outgoing(2, 0, 0));
        Assert.True(b.PeerHandsOver);
        Assert.False(a.PeerHandsOver);
        Assert.Equal(HaRole.Primary, b.Role);
        Assert.Equal("the peer handed over (force HA failover)", b.Reason);
        a.Heard(b.Outgoing(3, 0, 0));
        _time.Advance(TimeSpan.FromSeconds(10));
        a.Heard(b.Outgoing(4, 0, 0));
        Assert.Equal(HaRole.Secondary, a.Role);
    }

    [Fact]
    public void Force_failover_on_the_secondary_asks_the_primary_to_hand_over()
    {
        var a = Node(A, B, initial: HaRole.Primary);
        var b = Node(B, A);
        b.Heard(a.Outgoing(1, 0, 0));
        a.Heard(b.Outgoing(1, 0, 0));
        Assert.Null(b.ForceFailover(force: false));
        Assert.Equal(HaRole.Secondary, b.Role);
        var ask = b.Outgoing(2, 0, 0);
        Assert.True(ask.Flags.HasFlag(HeartbeatFlags.RequestTakeover));
        Assert.True(a.Heard(ask));
        Assert.Equal(HaRole.Secondary, a.Role);
        Assert.Equal("force HA failover run on the peer: handed over", a.Reason);
        Assert.True(b.Heard(a.Outgoing(2, 0, 0)));
        Assert.Equal(HaRole.Primary, b.Role);
    }

    [Fact]
    public void Force_failover_is_refused_when_nobody_would_take_over_unless_forced()
    {
        var a = Node(A, B, initial: HaRole.Primary);
        Assert.Equal("the peer 10.0.0.2 is not heard (no heartbeat for 3 s): nobody would take over; add -force to fail over anyway", a.ForceFailover(force: false));
        Assert.Equal(HaRole.Primary, a.Role);
        a.Heard(Beat(HaRole.Secondary, HeartbeatFlags.None));
        Assert.Contains("cannot become primary", a.ForceFailover(force: false));
        Assert.Null(a.ForceFailover(force: true));
        Assert.Equal(HaRole.Secondary, a.Role);
    }

    [Fact]
    public void A_lost_uplink_takes_the_role_away_and_the_peer_sees_it_cannot_be_primary()
    {
        var a = Node(A, B, initial: HaRole.Primary);
        Assert.True(a.SetUplink("uplink eth0 (carrying 10.0.0.1) is lowerlayerdown"));
        Assert.Equal(HaRole.Secondary, a.Role);
        Assert.Equal("uplink eth0 (carrying 10.0.0.1) is lowerlayerdown", a.Reason);
        var beat = a.Outgoing(1, 0, 0);
        Assert.False(beat.Flags.HasFlag(HeartbeatFlags.Eligible));

        // If that heartbeat still got through, the peer (higher address) takes over at once.
        var b = Node(B, A);
        Assert.True(b.Heard(beat));
        Assert.Equal(HaRole.Primary, b.Role);
        Assert.Equal("the peer 10.0.0.1 cannot be primary (its HA status or uplink)", b.Reason);
    }

    [Theory]
    [InlineData(HaStatus.StaySecondary, HaRole.Secondary, "this node is STAYSECONDARY")]
    [InlineData(HaStatus.Disabled, HaRole.Secondary, "HA is DISABLED on this node")]
    [InlineData(HaStatus.StayPrimary, HaRole.Primary, "this node is STAYPRIMARY")]
    public void The_operators_HA_status_decides_over_the_heartbeats(HaStatus status, HaRole role, string reason)
    {
        var m = Node(B, A, HaSettings.Default with { Status = status });
        m.Heard(Beat(HaRole.Primary, primaryFor: 10_000));
        _time.Advance(TimeSpan.FromSeconds(30));
        m.Tick();
        Assert.Equal(role, m.Role);
        Assert.Equal(reason, m.Reason);
    }

    [Fact]
    public void When_the_heartbeat_link_heals_after_a_split_brain_the_node_primary_longer_keeps_the_role()
    {
        // A was primary all along; B took over 3 s after the cut: both primary.
        var a = Node(A, B, initial: HaRole.Primary);
        _time.Advance(TimeSpan.FromSeconds(60));
        var b = Node(B, A);
        _time.Advance(TimeSpan.FromSeconds(3));
        b.Tick();
        Assert.Equal(HaRole.Primary, b.Role);
        _time.Advance(TimeSpan.FromSeconds(20));

        b.Heard(a.Outgoing(1, 0, 0));
        a.Heard(b.Outgoing(1, 0, 0));
        Assert.Equal(HaRole.Primary, a.Role);
        Assert.Equal(HaRole.Secondary, b.Role);
        Assert.Equal("both primary (heartbeats back): the peer has been primary longer", b.Reason);
    }

    [Fact]
    public void Two_primaries_of_about_the_same_age_agree_by_address()
    {
        var a = Node(A, B, initial: HaRole.Primary);
        var b = Node(B, A, initial: HaRole.Primary);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        var fromA = a.Outgoing(1, 0, 0);
        var fromB = b.Outgoing(1, 0, 0);
        _time.Advance(TimeSpan.FromMilliseconds(150));
        a.Heard(fromB);
        b.Heard(fromA);
        Assert.Equal(HaRole.Primary, a.Role);
        Assert.Equal(HaRole.Secondary, b.Role);
        Assert.Equal("both primary: the peer has the lower address", b.Reason);
    }

    [Fact]
    public void The_peers_role_reads_unknown_once_it_is_silent_for_the_dead_interval()
    {
        var m = Node(B, A);
        m.Heard(Beat(HaRole.Primary));
        Assert.Equal(HaRole.Primary, m.PeerRole);
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Null(m.PeerRole);
    }

    [Fact]
    public void The_next_tick_falls_at_the_end_of_a_silent_peers_dead_interval_not_a_hello_after_it()
    {
        var m = Node(B, A);
        m.Heard(Beat(HaRole.Primary, primaryFor: 60_000));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(3), m.TakeoverDue);
        Assert.Equal(TimeSpan.FromMilliseconds(200), m.UntilNextTick());

        // Silent for 2.9 s: the takeover is due in 100 ms, sooner than the next hello (200 ms).
        _time.Advance(TimeSpan.FromMilliseconds(2900));
        var next = m.UntilNextTick();
        Assert.Equal(TimeSpan.FromMilliseconds(101), next);
        _time.Advance(next);
        Assert.True(m.Tick());
        Assert.Equal(HaRole.Primary, m.Role);
        Assert.Equal("no heartbeat from the peer 10.0.0.1 for the dead interval (3 s)", m.Reason);

        // The primary has no takeover to wait for: it ticks every hello.
        Assert.Null(m.TakeoverDue);
        Assert.Equal(TimeSpan.FromMilliseconds(200), m.UntilNextTick());
    }

    [Fact]
    public void A_node_that_may_not_be_primary_waits_for_no_takeover()
    {
        var m = Node(B, A, HaSettings.Default with { Status = HaStatus.StaySecondary });
        _time.Advance(TimeSpan.FromMilliseconds(2900));
        Assert.Null(m.TakeoverDue);
        Assert.Equal(TimeSpan.FromMilliseconds(200), m.UntilNextTick());
    }
}
