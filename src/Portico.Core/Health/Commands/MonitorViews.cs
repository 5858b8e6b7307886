using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Engine;
using Portico.Runtime;

namespace Portico.Health.Commands;

/// <summary>What <c>show lb monitor</c>, <c>show lb monbindings</c> and <c>show service</c> print about monitors.</summary>
internal static class MonitorViews
{
    public static string Monitors(CommandContext ctx, ParsedCommand c)
    {
        var config = ctx.Config;
        var all = config.Monitors.Concat(BuiltInMonitors.All.Values.OrderBy(m => m.Name, StringComparer.Ordinal)).ToList();
        var name = c.MaybeRef<string>("monitorName");
        if (name is not null)
        {
            var m = all.FirstOrDefault(x => x.Name == name) ?? throw c.Error("monitorName", $"no lb monitor named '{name}'");
            return Detail(m, config);
        }

        var table = new TextTable("Name", "Type", "Interval", "Resptimeout", "Retries", "SuccessRetries", "DownTime", "State", "Bound to");
        foreach (var m in all)
        {
            table.Row(m.Name + (m.BuiltIn ? " (built-in)" : ""), MonitorTypes.Words[m.Type], m.Interval, m.ResponseTimeout, m.Retries, m.SuccessRetries,
                m.DownTime, m.Enabled ? "ENABLED" : "DISABLED", BoundTo(config, m.Name));
        }

        return $"{table.Count} lb monitor(s)\n{table}";
    }

    private static string Detail(LbMonitor m, RunningConfig config)
    {
        var sb = new StringBuilder();
        sb.Append($"{m.Name} ({MonitorTypes.Words[m.Type]}){(m.BuiltIn ? " - built-in" : "")}\tState: {(m.Enabled ? "ENABLED" : "DISABLED")}\n");
        sb.Append($"\tInterval: {m.Interval}\tResponse timeout: {m.ResponseTimeout}\tDown time: {m.DownTime}\n");
        sb.Append($"\tRetries: {m.Retries} (failures before DOWN)\tSuccess retries: {m.SuccessRetries} (successes before UP)\n");
        sb.Append($"\tDestination port: {(m.DestPort == 0 ? "the member's" : m.DestPort)}{(m.Secure ? "\tSecure: YES (TLS)" : "")}\n");
        switch (m.Type)
        {
            case MonitorType.Http:
                sb.Append($"\tHTTP request: \"{m.EffectiveHttpRequest}\"\tResponse codes: {m.RespCodesText}\n");
                break;
            case MonitorType.TcpEcv or MonitorType.HttpEcv or MonitorType.UdpEcv:
                sb.Append($"\tSend: \"{m.Send}\"\tReceive: \"{m.Recv}\"\n");
                break;
        }

        sb.Append($"\tBound to: {BoundTo(config, m.Name)}\n");
        return sb.ToString();
    }

    public static string Bindings(CommandContext ctx, ParsedCommand c)
    {
        var name = c.Get<string>("monitorName");
        if (!ctx.Config.MonitorsByName.ContainsKey(name) && !BuiltInMonitors.All.ContainsKey(name))
        {
            throw c.Error("monitorName", $"no lb monitor named '{name}'");
        }

        var engine = ctx.Get<PorticoEngine>();
        var health = ctx.Get<HealthMonitors>();
        var table = new TextTable("Member", "Address", "State", "Monitor state", "Probes", "Failed", "Last result");
        foreach (var member in engine.Runtime.Services.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var monitor = health.MonitorOf(member);
            monitor?.Read(jobs =>
            {
                foreach (var j in jobs.Where(j => j.Monitor.Name == name))
                {
                    table.Row(member.Name, j.Target.Endpoint, member.StateWord, j.Machine.State == HealthState.Up ? "UP" : "DOWN",
                        Interlocked.Read(ref j.Counters.Probes), Interlocked.Read(ref j.Counters.Failures), j.Machine.LastResult?.ToString() ?? "-");
                }

                return 0;
            });
        }

        return $"{table.Count} member(s) probed by {name}\n{table}";
    }

    /// <summary>The monitors probing a member, for the <c>show service</c> table: <c>tcp-default</c>, <c>m1,m2</c>.</summary>
    public static string MonitorNames(HealthMonitors health, ServiceRuntime member) =>
        !member.Settings.HealthMonitor ? "off" : health.MonitorOf(member)?.Read(jobs => jobs.Count == 0 ? "none" : string.Join(",", jobs.Select(j => j.Monitor.Name))) ?? "none";

    /// <summary>Probes sent and failed across a member's monitors: <c>120/3</c>.</summary>
    public static string ProbeCounts(HealthMonitors health, ServiceRuntime member) =>
        health.MonitorOf(member)?.Read(jobs => $"{jobs.Sum(j => Interlocked.Read(ref j.Counters.Probes))}/{jobs.Sum(j => Interlocked.Read(ref j.Counters.Failures))}") ?? "0/0";

    /// <summary>The per-monitor lines of <c>show service &lt;name&gt;</c>.</summary>
    public static string MemberDetail(HealthMonitors health, ServiceRuntime member, DateTimeOffset now)
    {
        var sb = new StringBuilder();
        sb.Append($"\tState: {member.StateWord}\tLast state change: {member.Health.LastChange:yyyy-MM-dd HH:mm:ss.fff} UTC ({Ago(now - member.Health.LastChange)} ago)\n");
        if (member.Health.LastReason is { } reason && member.Health.State == HealthState.Down)
        {
            sb.Append($"\tReason: {reason}\n");
        }

        var passive = member.Health.Passive;
        sb.Append(passive.Threshold == 0
            ? $"\tPassive health: off (-passiveFailures 0), {passive.Failures} failure(s) of live traffic seen\n"
            : $"\tPassive health: {passive.ConsecutiveFailures} failure(s) of live traffic in the current run (DOWN at {passive.Threshold}; "
                + $"{passive.Threshold} successes in a row clear it), {passive.Failures} total, tripped {passive.Trips} time(s)\n");
        if (passive.LastFailure is { } last)
        {
            sb.Append($"\t   Last live-traffic failure: {last}\n");
        }

        var monitor = health.MonitorOf(member);
        if (monitor is null)
        {
            return sb.ToString();
        }

        monitor.Read(jobs =>
        {
            sb.Append($"\tMonitors: {jobs.Count}\n");
            var i = 1;
            foreach (var j in jobs)
            {
                var m = j.Machine;
                sb.Append($"\t{i++}) {j.Monitor.Name} ({MonitorTypes.Words[j.Monitor.Type]}, every {j.Monitor.Interval}) to {j.Target.Endpoint}: {(m.State == HealthState.Up ? "UP" : "DOWN")}{(m.Confirmed ? "" : " (not probed yet)")}\n");
                sb.Append($"\t   Probes: {Interlocked.Read(ref j.Counters.Probes)}  Failed: {Interlocked.Read(ref j.Counters.Failures)}  Consecutive: {m.ConsecutiveSuccesses} ok / {m.ConsecutiveFailures} failed  Response time: {Interlocked.Read(ref j.Counters.LastResponseMicroseconds) / 1000.0:0.###} ms\n");
                sb.Append($"\t   Last response: {m.LastResult?.ToString() ?? "-"}\n");
                if (m.LastFailure is { } f)
                {
                    sb.Append($"\t   Last failure: {f} at {m.LastFailureAt:yyyy-MM-dd HH:mm:ss.fff} UTC\n");
                }
            }

            return 0;
        });
        foreach (var note in monitor.Notes)
        {
            sb.Append($"\tNote: {note}\n");
        }

        return sb.ToString();
    }

    private static string Ago(TimeSpan t) => t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:0} ms" : t.TotalMinutes < 2 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMinutes:0} min";

    private static string BoundTo(RunningConfig config, string monitor)
    {
        var targets = config.MonitorBindings.Where(b => b.Monitor == monitor).Select(b => b.Target).ToList();
        if (monitor is BuiltInMonitors.TcpDefault or BuiltInMonitors.PingDefault)
        {
            return "services without a bound monitor";
        }

        return targets.Count == 0 ? "-" : string.Join(", ", targets);
    }
}
