using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portico.Events;
using Portico.Health;
using Portico.Runtime;
using Portico.Testing;

namespace Portico.Core.Tests.Health;

/// <summary>
/// The real engine and real probes against a real backend, with the clock in the test's hand: every
/// probe happens exactly when retries, successRetries and downTime say, and not a moment before.
/// </summary>
public class FakeTimeMonitoringTests
{
    [Fact]
    public async Task Retries_down_time_and_success_retries_decide_when_probes_run_and_states_change()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var t0 = clock.GetUtcNow();
        var backend = TestTcpServer.Start("b1");
        var port = backend.Port;
        await using var host = await PorticoHost.StartAsync($"""
            add lb monitor m TCP -interval 1 -resptimeout 500 MSEC -retries 2 -successRetries 2 -downTime 10
            add service s 127.0.0.1 TCP {port}
            bind service s -monitorName m
            """, configure: s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.AddSingleton(new HealthOptions { Spread = false });
        });
        var health = host.Services.GetRequiredService<HealthMonitors>();
        var member = host.Engine.Runtime.Services["s"];
        long Probes() => health.MonitorOf(member)!.Jobs.Sum(j => Interlocked.Read(ref j.Counters.Probes));
        async Task Step(TimeSpan advance, long expectedProbes, HealthState expected)
        {
            clock.Advance(advance);
            Assert.True(await Eventually.TrueAsync(() => Probes() >= expectedProbes, TimeSpan.FromSeconds(10)), $"probe {expectedProbes} never ran");
            Assert.Equal(expectedProbes, Probes());
            Assert.Equal(expected, member.Health.State);
        }

        try
        {
            await Step(TimeSpan.Zero, 1, HealthState.Up);
            await backend.DisposeAsync();
            await Step(TimeSpan.FromSeconds(1), 2, HealthState.Up);      // 1 failure of 2
            await Step(TimeSpan.FromSeconds(1), 3, HealthState.Down);    // 2 failures: DOWN at t0+2s

            backend = TestTcpServer.Start("b1", port: port);
            clock.Advance(TimeSpan.FromSeconds(9.9));                   // downTime is 10 s: no probe yet
            await Task.Delay(200);
            Assert.Equal(3, Probes());
            await Step(TimeSpan.FromSeconds(0.1), 4, HealthState.Down);  // t0+12s: 1 success of 2
            await Step(TimeSpan.FromSeconds(1), 5, HealthState.Up);      // t0+13s: UP

            var events = host.Services.GetRequiredService<EventLog>().Since().Where(e => e.Entity == "s").ToList();
            Assert.Equal([(HealthEvents.ServiceDown, t0.AddSeconds(2)), (HealthEvents.ServiceUp, t0.AddSeconds(13))], events.Select(e => (e.Kind, e.Time)));
            Assert.Equal("m: L4CON connection refused", events[0].Message);
        }
        finally
        {
            await backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_config_change_keeps_probe_state_and_a_changed_monitor_starts_from_the_members_state()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        await using var host = await PorticoHost.StartAsync($"""
            add lb monitor m TCP -interval 1 -resptimeout 500 MSEC
            add service s 127.0.0.1 TCP {Ports.Free()}
            bind service s -monitorName m
            """, configure: s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.AddSingleton(new HealthOptions { Spread = false });
        });
        var health = host.Services.GetRequiredService<HealthMonitors>();
        var events = host.Services.GetRequiredService<EventLog>();
        ProbeJob Job() => health.MonitorOf(host.Engine.Runtime.Services["s"])!.Jobs.Single();
        Assert.True(await Eventually.TrueAsync(() => Job().Counters.Probes == 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(HealthState.Down, host.Engine.Runtime.Services["s"].Health.State);
        var job = Job();

        // An unrelated change: same member, same monitor, same job, same counters.
        await host.MustApplyAsync("add server other 127.0.0.9");
        Assert.Same(job, Job());
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await Eventually.TrueAsync(() => job.Counters.Probes == 2, TimeSpan.FromSeconds(10)));

        // A changed monitor is a new job; it starts from the member's DOWN, so the member never flaps UP.
        await host.MustApplyAsync("set lb monitor m TCP -retries 5");
        Assert.NotSame(job, Job());
        Assert.Equal(HealthState.Down, Job().Machine.State);
        Assert.True(await Eventually.TrueAsync(() => Job().Counters.Probes == 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(HealthState.Down, host.Engine.Runtime.Services["s"].Health.State);
        Assert.Equal([HealthEvents.ServiceDown], events.Since().Select(e => e.Kind));
    }

    [Fact]
    public async Task Disabling_and_enabling_a_member_are_events_and_its_last_state_carries_through()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        await using var host = await PorticoHost.StartAsync($"""
            add service s 127.0.0.1 TCP {Ports.Free()}
            """, configure: s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.AddSingleton(new HealthOptions { Spread = false });
        });
        var events = host.Services.GetRequiredService<EventLog>();
        var s = () => host.Engine.Runtime.Services["s"];
        Assert.True(await Eventually.TrueAsync(() => s().StateWord == "DOWN", TimeSpan.FromSeconds(10)));

        await host.MustApplyAsync("disable service s");
        Assert.Equal("OUT OF SERVICE", s().StateWord);
        Assert.Empty(host.Services.GetRequiredService<HealthMonitors>().MonitorOf(s())!.Jobs);
        await host.MustApplyAsync("enable service s");
        Assert.Equal("DOWN", s().StateWord);
        Assert.Equal([HealthEvents.ServiceDown, HealthEvents.ServiceOutOfService, HealthEvents.ServiceInService], events.Since().Select(e => e.Kind));
        Assert.Equal("tcp-default: L4CON connection refused", events.Since()[0].Message);
    }

    [Fact]
    public async Task A_down_members_reason_follows_its_latest_failure_without_a_new_event()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var port = Ports.Free();
        await using var host = await PorticoHost.StartAsync($"""
            add lb monitor web HTTP -interval 1 -resptimeout 500 MSEC -downTime 1
            add service s 127.0.0.1 HTTP {port}
            bind service s -monitorName web
            """, configure: s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.AddSingleton(new HealthOptions { Spread = false });
        });
        var events = host.Services.GetRequiredService<EventLog>();
        var member = host.Engine.Runtime.Services["s"];
        ProbeJob Job() => host.Services.GetRequiredService<HealthMonitors>().MonitorOf(member)!.Jobs.Single();
        Assert.True(await Eventually.TrueAsync(() => Job().Counters.Probes == 1, TimeSpan.FromSeconds(10)));
        Assert.Equal("web: L4CON connection refused", member.Health.LastReason);

        // The server comes up but answers 503: still DOWN, and the operator now sees why.
        await using var web = HttpBackend.Start(port: port);
        web.Status = 503;
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await Eventually.TrueAsync(() => Job().Counters.Probes == 2, TimeSpan.FromSeconds(10)));
        Assert.Equal(HealthState.Down, member.Health.State);
        Assert.Equal("web: L7STS wrong status 503 (expected 200)", member.Health.LastReason);
        Assert.Equal([HealthEvents.ServiceDown], events.Since().Where(e => e.Entity == "s").Select(e => e.Kind));
    }
}
