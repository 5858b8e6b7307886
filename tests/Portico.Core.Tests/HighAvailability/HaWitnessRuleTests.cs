using System.Net;
using Microsoft.Extensions.Time.Testing;
using Portico.HighAvailability;

namespace Portico.Core.Tests.HighAvailability;

/// <summary>The witness's rule on fake time: no node is primary without the lease, whatever the heartbeats say.</summary>
public class HaWitnessRuleTests
{
    private static readonly IPAddress A = IPAddress.Parse("10.0.0.1");
    private static readonly IPAddress B = IPAddress.Parse("10.0.0.2");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private HaStateMachine Node(IPAddress self, IPAddress peer)
    {
        var m = new HaStateMachine(_time, self);
        m.Configure(new HaPeer(1, peer), HaSettings.Default);
        m.SetWitness("the witness lease is not claimed yet");
        return m;
    }

    [Fact]
    public void A_node_that_hears_nobody_wants_the_role_but_takes_it_only_with_the_lease()
    {
        var m = Node(B, A);
        _time.Advance(TimeSpan.FromSeconds(3));
        m.Tick();
        Assert.Equal(HaRole.Secondary, m.Role);
        Assert.True(m.WantsPrimary);
        Assert.Equal("no heartbeat from the peer 10.0.0.1 within the dead interval (3 s) since start; but not primary without the witness lease: the witness lease is not claimed yet", m.Reason);

        Assert.False(m.SetWitness("the witness lease is held by 10.0.0.1"));
        Assert.Contains("held by 10.0.0.1", m.Reason);
        Assert.True(m.SetWitness(null));
        Assert.Equal(HaRole.Primary, m.Role);
    }

    [Fact]
    public void A_primary_that_loses_the_lease_steps_down_even_when_STAYPRIMARY()
    {
        var m = Node(A, B);
        m.Configure(new HaPeer(1, B), HaSettings.Default with { Status = HaStatus.StayPrimary });
        Assert.True(m.SetWitness(null));
        Assert.Equal(HaRole.Primary, m.Role);
        Assert.True(m.SetWitness("the witness etcd://10.0.0.9:2379/ha cannot be reached (timeout)"));
        Assert.Equal(HaRole.Secondary, m.Role);
        Assert.True(m.WantsPrimary);
        Assert.EndsWith("but not primary without the witness lease: the witness etcd://10.0.0.9:2379/ha cannot be reached (timeout)", m.Reason);
    }

    [Fact]
    public void A_node_without_a_witness_is_not_gated_and_a_standalone_node_never_is()
    {
        var plain = new HaStateMachine(_time, B);
        plain.Configure(new HaPeer(1, A), HaSettings.Default);
        _time.Advance(TimeSpan.FromSeconds(3));
        plain.Tick();
        Assert.Equal(HaRole.Primary, plain.Role);
        Assert.False(plain.HasWitness);

        var alone = new HaStateMachine(_time, A);
        alone.SetWitness("the witness lease is not claimed yet");
        alone.Configure(null, HaSettings.Default);
        Assert.Equal(HaRole.Primary, alone.Role);
    }
}
