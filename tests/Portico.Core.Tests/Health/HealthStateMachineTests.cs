using Portico.Health;
using Portico.Runtime;

namespace Portico.Core.Tests.Health;

/// <summary>The rise/fall rules on their own: results in, state and next delay out.</summary>
public class HealthStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly ProbeResult Ok = new(ProbeStatus.L4OK, "connection established");
    private static readonly ProbeResult Refused = new(ProbeStatus.L4CON, "connection refused");

    private static LbMonitor Monitor(int retries = 3, int successRetries = 2) => LbMonitor.Create("m", MonitorType.Tcp) with
    {
        Interval = new MonitorTime(100, MonitorTimeUnit.Msec),
        ResponseTimeout = new MonitorTime(50, MonitorTimeUnit.Msec),
        DownTime = new MonitorTime(2, MonitorTimeUnit.Sec),
        Retries = retries,
        SuccessRetries = successRetries,
    };

    private static HealthStateMachine Confirmed(HealthState state, int retries = 3, int successRetries = 2)
    {
        var sm = new HealthStateMachine(Monitor(retries, successRetries), state);
        sm.Observe(state == HealthState.Up ? Ok : Refused, T0);
        return sm;
    }

    [Fact]
    public void An_up_member_goes_down_only_after_retries_failures_in_a_row()
    {
        var sm = Confirmed(HealthState.Up, retries: 3);
        Assert.False(sm.Observe(Refused, T0));
        Assert.False(sm.Observe(Refused, T0));
        Assert.Equal(HealthState.Up, sm.State);
        Assert.True(sm.Observe(Refused, T0));
        Assert.Equal(HealthState.Down, sm.State);
        Assert.Equal("m: L4CON connection refused", sm.Reason);
    }

    [Fact]
    public void A_success_between_failures_starts_the_count_again()
    {
        var sm = Confirmed(HealthState.Up, retries: 3);
        sm.Observe(Refused, T0);
        sm.Observe(Refused, T0);
        sm.Observe(Ok, T0);
        sm.Observe(Refused, T0);
        sm.Observe(Refused, T0);
        Assert.Equal(HealthState.Up, sm.State);
        Assert.Equal(2, sm.ConsecutiveFailures);
    }

    [Fact]
    public void A_down_member_comes_back_only_after_success_retries_successes_in_a_row()
    {
        var sm = Confirmed(HealthState.Down, successRetries: 3);
        sm.Observe(Ok, T0);
        sm.Observe(Ok, T0);
        sm.Observe(Refused, T0);
        sm.Observe(Ok, T0);
        sm.Observe(Ok, T0);
        Assert.Equal(HealthState.Down, sm.State);
        Assert.True(sm.Observe(Ok, T0));
        Assert.Equal(HealthState.Up, sm.State);
    }

    [Fact]
    public void The_starting_state_is_a_guess_that_the_first_result_settles()
    {
        var up = new HealthStateMachine(Monitor(retries: 5), HealthState.Up);
        Assert.False(up.Confirmed);
        Assert.True(up.Observe(Refused, T0));
        Assert.Equal(HealthState.Down, up.State);

        var down = new HealthStateMachine(Monitor(successRetries: 5), HealthState.Down);
        Assert.True(down.Observe(Ok, T0));
        Assert.Equal(HealthState.Up, down.State);
    }

    [Fact]
    public void A_down_member_waits_down_time_then_confirms_recovery_at_the_interval()
    {
        var sm = Confirmed(HealthState.Up, retries: 1);
        Assert.Equal(TimeSpan.FromMilliseconds(100), sm.NextDelay);
        sm.Observe(Refused, T0);
        Assert.Equal(TimeSpan.FromSeconds(2), sm.NextDelay);
        sm.Observe(Ok, T0);
        Assert.Equal(HealthState.Down, sm.State);
        Assert.Equal(TimeSpan.FromMilliseconds(100), sm.NextDelay);
        sm.Observe(Refused, T0);
        Assert.Equal(TimeSpan.FromSeconds(2), sm.NextDelay);
    }

    [Fact]
    public void Passive_health_forces_down_and_probes_must_then_rise_again()
    {
        var sm = Confirmed(HealthState.Up, successRetries: 2);
        Assert.True(sm.ForceDown("3 failures of live traffic, last L4CON ConnectionRefused", T0));
        Assert.Equal(HealthState.Down, sm.State);
        Assert.StartsWith("passive health: 3 failures", sm.Reason);
        var after = T0.AddSeconds(2);
        Assert.False(sm.Observe(Ok, after));
        Assert.True(sm.Observe(Ok, after));
    }

    [Fact]
    public void Passive_health_holds_the_member_down_for_downTime_whatever_the_probes_say()
    {
        // The probe URL passing is what hid the failing live traffic: it must not bring the member back at once.
        var sm = Confirmed(HealthState.Up, successRetries: 1);
        sm.ForceDown("3 failures of live traffic, last L7RSP reset during the response", T0);
        Assert.False(sm.Observe(Ok, T0.AddMilliseconds(100)));
        Assert.False(sm.Observe(Ok, T0.AddMilliseconds(1999)));
        Assert.Equal(HealthState.Down, sm.State);
        Assert.Equal(TimeSpan.FromSeconds(2), sm.NextDelay);
        Assert.True(sm.Observe(Ok, T0.AddSeconds(2)));
        Assert.Equal(HealthState.Up, sm.State);
    }

    [Fact]
    public void The_last_failure_is_kept_after_recovery()
    {
        var sm = Confirmed(HealthState.Up, retries: 1, successRetries: 1);
        sm.Observe(new ProbeResult(ProbeStatus.L7STS, "wrong status 503 (expected 200)"), T0.AddSeconds(1));
        sm.Observe(Ok, T0.AddSeconds(2));
        Assert.Equal(HealthState.Up, sm.State);
        Assert.Equal(ProbeStatus.L7STS, sm.LastFailure!.Value.Status);
        Assert.Equal(T0.AddSeconds(1), sm.LastFailureAt);
    }
}
