using System.Text;
using Portico.Runtime;

namespace Portico.Health.Commands;

/// <summary>What <c>show service NAME</c> reports about a member's health: state, passive health of live traffic, each monitor.</summary>
/// <param name="SinceChange">Time from the last state change to the query.</param>
/// <param name="Reason">Why it is DOWN (the failed monitor and layer), or null when it is not.</param>
/// <param name="Monitors">The member's probes, or null when no monitor follows it.</param>
internal sealed record MemberHealth(
    string State,
    DateTimeOffset LastChange,
    TimeSpan SinceChange,
    string? Reason,
    PassiveHealthView Passive,
    IReadOnlyList<MemberProbe>? Monitors,
    IReadOnlyList<string> Notes)
{
    public static MemberHealth Of(HealthMonitors health, ServiceRuntime member, DateTimeOffset now)
    {
        var p = member.Health.Passive;
        var monitor = health.MonitorOf(member);
        var probes = monitor?.Read<IReadOnlyList<MemberProbe>>(jobs => [.. jobs.Select(MemberProbe.Of)]);
        return new MemberHealth(member.StateWord, member.Health.LastChange, now - member.Health.LastChange,
            member.Health.State == HealthState.Down ? member.Health.LastReason : null,
            new PassiveHealthView(p.Threshold, p.ConsecutiveFailures, p.Failures, p.Trips, p.LastFailure),
            probes, monitor?.Notes ?? []);
    }

    /// <summary>The monitors probing a member, for the <c>show service</c> table: <c>tcp-default</c>, <c>m1,m2</c>.</summary>
    public static string MonitorNames(HealthMonitors health, ServiceRuntime member) =>
        !member.Settings.HealthMonitor ? "off" : health.MonitorOf(member)?.Read(jobs => jobs.Count == 0 ? "none" : string.Join(",", jobs.Select(j => j.Monitor.Name))) ?? "none";

    /// <summary>Probes sent and failed across a member's monitors.</summary>
    public static (long Probes, long Failed) ProbeCounts(HealthMonitors health, ServiceRuntime member) =>
        health.MonitorOf(member)?.Read(jobs => (jobs.Sum(j => Interlocked.Read(ref j.Counters.Probes)), jobs.Sum(j => Interlocked.Read(ref j.Counters.Failures)))) ?? (0, 0);

    /// <summary>The per-monitor lines of <c>show service NAME</c>.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append($"\tState: {State}\tLast state change: {LastChange:yyyy-MM-dd HH:mm:ss.fff} UTC ({Ago(SinceChange)} ago)\n");
        if (Reason is { } reason)
        {
            sb.Append($"\tReason: {reason}\n");
        }

        var passive = Passive;
        sb.Append(passive.Threshold == 0
            ? $"\tPassive health: off (-passiveFailures 0), {passive.Failures} failure(s) of live traffic seen\n"
            : $"\tPassive health: {passive.ConsecutiveFailures} failure(s) of live traffic in the current run (DOWN at {passive.Threshold}; "
                + $"{passive.Threshold} successes in a row clear it), {passive.Failures} total, tripped {passive.Trips} time(s)\n");
        if (passive.LastFailure is { } last)
        {
            sb.Append($"\t   Last live-traffic failure: {last}\n");
        }

        if (Monitors is null)
        {
            return sb.ToString();
        }

        sb.Append($"\tMonitors: {Monitors.Count}\n");
        var i = 1;
        foreach (var m in Monitors)
        {
            sb.Append($"\t{i++}) {m.Monitor} ({m.Type}, every {m.Interval}) to {m.Endpoint}: {m.State}{(m.Confirmed ? "" : " (not probed yet)")}\n");
            sb.Append($"\t   Probes: {m.Probes}  Failed: {m.Failed}  Consecutive: {m.ConsecutiveSuccesses} ok / {m.ConsecutiveFailures} failed  Response time: {m.LastResponseMicroseconds / 1000.0:0.###} ms\n");
            sb.Append($"\t   Last response: {m.LastResponse ?? "-"}\n");
            if (m.LastFailure is { } f)
            {
                sb.Append($"\t   Last failure: {f} at {m.LastFailureAt:yyyy-MM-dd HH:mm:ss.fff} UTC\n");
            }
        }

        foreach (var note in Notes)
        {
            sb.Append($"\tNote: {note}\n");
        }

        return sb.ToString();
    }

    private static string Ago(TimeSpan t) => t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:0} ms" : t.TotalMinutes < 2 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMinutes:0} min";
}

/// <summary>Passive health of a member's live traffic.</summary>
/// <param name="Threshold">Failures in a row that mark it DOWN; 0 when passive health is off.</param>
internal sealed record PassiveHealthView(int Threshold, int ConsecutiveFailures, long Failures, long Trips, string? LastFailure);

/// <summary>One monitor probing one member.</summary>
/// <param name="State"><c>UP</c> or <c>DOWN</c>, the monitor's own verdict.</param>
/// <param name="Confirmed">False until the first probe has answered.</param>
internal sealed record MemberProbe(
    string Monitor,
    string Type,
    string Interval,
    string Endpoint,
    string State,
    bool Confirmed,
    long Probes,
    long Failed,
    int ConsecutiveSuccesses,
    int ConsecutiveFailures,
    long LastResponseMicroseconds,
    string? LastResponse,
    string? LastFailure,
    DateTimeOffset? LastFailureAt)
{
    public static MemberProbe Of(ProbeJob j)
    {
        var m = j.Machine;
        return new MemberProbe(j.Monitor.Name, MonitorTypes.Words[j.Monitor.Type], j.Monitor.Interval.ToString(), j.Target.Endpoint.ToString(),
            m.State == HealthState.Up ? "UP" : "DOWN", m.Confirmed, Interlocked.Read(ref j.Counters.Probes), Interlocked.Read(ref j.Counters.Failures),
            m.ConsecutiveSuccesses, m.ConsecutiveFailures, Interlocked.Read(ref j.Counters.LastResponseMicroseconds),
            m.LastResult?.ToString(), m.LastFailure?.ToString(), m.LastFailureAt);
    }
}
