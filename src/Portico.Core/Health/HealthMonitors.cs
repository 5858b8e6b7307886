using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.Configuration;
using Portico.Events;
using Portico.Health.Probes;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Health;

/// <summary>
/// Runs the health monitors: after every config change it works out which monitors probe which member
/// (bound ones, else <c>tcp-default</c> or <c>ping-default</c>), keeps the probes of members and monitors
/// that did not change, starts new ones and stops the rest. It records every service state change in
/// the event log and holds primaries on their backup for <c>-disablePrimaryOnDown</c>.
/// </summary>
public sealed partial class HealthMonitors : IHostedService, IDisposable
{
    private readonly IRuntimeSource _runtime;
    private readonly EventLog _events;
    private readonly TimeProvider _time;
    private readonly HealthOptions _options;
    private readonly ILogger<HealthMonitors> _logger;
    private readonly Lock _lock = new();
    private readonly Action<RuntimeModel> _onRuntime;
    private readonly ProbeScheduler _scheduler;
    private Dictionary<string, MemberMonitor> _members = new(StringComparer.Ordinal);
    private Dictionary<string, bool> _adminEnabled = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);
    private bool _started;

    public HealthMonitors(IRuntimeSource runtime, EventLog events, TimeProvider time, HealthOptions options, ILogger<HealthMonitors> logger)
    {
        _runtime = runtime;
        _events = events;
        _time = time;
        _options = options;
        _logger = logger;
        _onRuntime = Reconcile;
        _scheduler = new ProbeScheduler(time, options.Batch);
    }

    internal DateTimeOffset Now => _time.GetUtcNow();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _started = true;
        }

        _runtime.Changed += _onRuntime;
        Reconcile(_runtime.Current);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _runtime.Changed -= _onRuntime;
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The monitors of a member as <c>show service</c> prints them; null when it has none running.</summary>
    internal MemberMonitor? MonitorOf(ServiceRuntime member)
    {
        lock (_lock)
        {
            return _members.GetValueOrDefault(member.Key);
        }
    }

    /// <summary>Brings the probes in line with <paramref name="model"/>; called after every applied change.</summary>
    internal void Reconcile(RuntimeModel model)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_started)
            {
                return;
            }

            var next = new Dictionary<string, MemberMonitor>(StringComparer.Ordinal);
            var admin = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (var member in model.Services.Values)
            {
                var key = member.Key;
                admin[key] = member.AdminEnabled;
                if (_adminEnabled.TryGetValue(key, out var was) && was != member.AdminEnabled)
                {
                    Record(member.AdminEnabled ? HealthEvents.ServiceInService : HealthEvents.ServiceOutOfService, member.Name,
                        member.AdminEnabled ? "enabled by configuration" : "disabled by configuration: no new connections, established ones finish", now);
                }

                var (wanted, notes) = Plan(model.Config, member);
                if (!_members.TryGetValue(key, out var monitor))
                {
                    monitor = new MemberMonitor(this, member);
                }

                monitor.Update(member, wanted, notes, _time, _options, _scheduler, now);
                next[key] = monitor;
            }

            foreach (var (key, gone) in _members)
            {
                if (!next.ContainsKey(key))
                {
                    gone.Dispose();
                }
            }

            _members = next;
            _adminEnabled = admin;
            foreach (var name in _held.Keys.Where(n => !model.Vservers.TryGetValue(n, out var v) || !v.Hold.IsHeld).ToList())
            {
                _held.TryRemove(name, out _);
                if (model.Vservers.ContainsKey(name))
                {
                    Record(HealthEvents.PrimaryEnabled, name, "released by enable lb vserver: traffic goes to the primary again", now);
                    Log.PrimaryReleased(_logger, name);
                }
            }
        }

        CheckHolds(model, now);
    }

    /// <summary>Which monitors probe <paramref name="member"/>, where, and why some cannot.</summary>
    private static (List<(ProbeTarget, string)> Wanted, List<string> Notes) Plan(RunningConfig config, ServiceRuntime member)
    {
        var wanted = new List<(ProbeTarget, string)>();
        var notes = new List<string>();
        if (!member.AdminEnabled)
        {
            return (wanted, notes);
        }

        if (!member.Settings.HealthMonitor)
        {
            notes.Add("-healthMonitor NO: not probed, UP at all times");
            return (wanted, notes);
        }

        var bindings = config.MonitorBindings.Where(b => b.Target == member.Name || (member.Group is not null && b.Target == member.Group)).ToList();
        var monitors = new List<LbMonitor>();
        var implicitDefault = bindings.Count == 0;
        if (implicitDefault)
        {
            monitors.Add(BuiltInMonitors.All[member.Type.IsUdp() || member.Endpoint.Port == 0 ? BuiltInMonitors.PingDefault : BuiltInMonitors.TcpDefault]);
        }

        foreach (var b in bindings)
        {
            var m = config.MonitorsByName.GetValueOrDefault(b.Monitor) ?? BuiltInMonitors.All.GetValueOrDefault(b.Monitor);
            if (m is null || !b.Enabled || !m.Enabled)
            {
                notes.Add($"{b.Monitor}: disabled, not counted");
                continue;
            }

            monitors.Add(m);
        }

        foreach (var m in monitors)
        {
            var port = m.DestPort != 0 ? m.DestPort : member.Endpoint.Port;
            if (m.Type != MonitorType.Ping && port == 0)
            {
                notes.Add($"{m.Name}: not probing: the member's port is * and the monitor has no -destPort");
                continue;
            }

            if (m.Type == MonitorType.Ping && !IcmpPermission.Allowed && implicitDefault)
            {
                notes.Add($"{m.Name}: not probing: this process may not send ICMP echo requests (needs root or CAP_NET_RAW)");
                continue;
            }

            var source = member.SourceAddresses.Count > 0 ? member.SourceAddresses[0] : null;
            var endpoint = new System.Net.IPEndPoint(member.Endpoint.Address, m.Type == MonitorType.Ping ? 0 : port);
            var proxy = m.Type == MonitorType.Ping ? null : member.ClientIp.SendProxy;
            wanted.Add((new ProbeTarget(endpoint, source, m) { SendProxy = proxy }, $"{MonitorLine.Of(m)}|{endpoint}|{source}|{proxy}"));
        }

        return (wanted, notes);
    }

    /// <summary>A member's monitors changed its state. Called under the member's lock.</summary>
    internal void OnStateChanged(MemberMonitor member, HealthState state, string reason, DateTimeOffset at)
    {
        var name = member.Member.Name;
        if (state == HealthState.Down)
        {
            Log.ServiceDown(_logger, name, member.Member.Endpoint.ToString(), reason);
            Record(HealthEvents.ServiceDown, name, reason, at);
        }
        else
        {
            Log.ServiceUp(_logger, name, member.Member.Endpoint.ToString(), reason);
            Record(HealthEvents.ServiceUp, name, reason, at);
        }

        CheckHolds(_runtime.Current, at);
    }

    internal void OnPassiveTripped(MemberMonitor member, string reason) => Log.PassiveTripped(_logger, member.Member.Name, reason);

    /// <summary>Holds every <c>-disablePrimaryOnDown</c> vserver that went DOWN on its backup.</summary>
    private void CheckHolds(RuntimeModel model, DateTimeOffset at)
    {
        foreach (var v in model.Vservers.Values)
        {
            if (v.Config.DisablePrimaryOnDown && v.Config.Enabled && v.Backup is not null && !v.HasAvailableMember
                && v.Hold.TryHold(at, model.Config.Generation))
            {
                // No lock here: this runs under a member's lock, and Reconcile takes the locks the other way round.
                _held[v.Name] = 0;

                var message = $"no service is UP; traffic goes to backup vserver {v.Backup.Name} until 'enable lb vserver {v.Name}' (-disablePrimaryOnDown)";
                Record(HealthEvents.PrimaryDisabled, v.Name, message, at);
                Log.PrimaryHeld(_logger, v.Name, v.Backup.Name);
            }
        }
    }

    private void Record(string kind, string entity, string message, DateTimeOffset at) => _events.Record(kind, entity, message, at);

    public void Dispose()
    {
        _scheduler.Dispose();
        lock (_lock)
        {
            _started = false;
            foreach (var m in _members.Values)
            {
                m.Dispose();
            }

            _members.Clear();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "Service {Service} ({Endpoint}) is DOWN: {Reason}")]
        public static partial void ServiceDown(ILogger logger, string service, string endpoint, string reason);

        [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Service {Service} ({Endpoint}) is UP: {Reason}")]
        public static partial void ServiceUp(ILogger logger, string service, string endpoint, string reason);

        [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Service {Service}: live traffic failing, marked DOWN until probes succeed: {Reason}")]
        public static partial void PassiveTripped(ILogger logger, string service, string reason);

        [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "lb vserver {Vserver} is DOWN and held on backup vserver {Backup} until 'enable lb vserver' (-disablePrimaryOnDown)")]
        public static partial void PrimaryHeld(ILogger logger, string vserver, string backup);

        [LoggerMessage(EventId = 504, Level = LogLevel.Information, Message = "lb vserver {Vserver} released from its backup vserver")]
        public static partial void PrimaryReleased(ILogger logger, string vserver);
    }
}
