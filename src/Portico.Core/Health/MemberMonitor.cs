using Portico.Health.Probes;
using Portico.Runtime;

namespace Portico.Health;

/// <summary>
/// The monitors of one member and what they add up to: the member is UP when every active monitor is
/// UP (NetScaler's rule with several monitors bound), DOWN otherwise, with the reason of the first that
/// is not. Also where passive health lands. Lives as long as the member's identity (name, endpoint,
/// protocol) stays in the config; its jobs are kept across changes that keep their monitor.
/// </summary>
internal sealed class MemberMonitor : IDisposable
{
    private readonly Lock _lock = new();
    private readonly HealthMonitors _owner;
    private readonly Action<PassiveHealth, string> _onPassive;
    private List<ProbeJob> _jobs = [];

    public MemberMonitor(HealthMonitors owner, ServiceRuntime member)
    {
        _owner = owner;
        Member = member;
        _onPassive = (_, reason) => OnPassiveTripped(reason);
        member.Health.Passive.Tripped += _onPassive;
    }

    /// <summary>The member as the latest config generation compiled it.</summary>
    public ServiceRuntime Member { get; private set; }

    public ServiceHealth Health => Member.Health;

    /// <summary>Why a bound monitor does not probe this member (port <c>*</c>, no ICMP), for <c>show service</c>.</summary>
    public IReadOnlyList<string> Notes { get; private set; } = [];

    /// <summary>The jobs now, for <c>show</c>; their state machines are read under <see cref="Read"/>.</summary>
    public IReadOnlyList<ProbeJob> Jobs
    {
        get
        {
            lock (_lock)
            {
                return _jobs;
            }
        }
    }

    /// <summary>Runs <paramref name="read"/> under the member's lock, so states and counts are consistent.</summary>
    public T Read<T>(Func<IReadOnlyList<ProbeJob>, T> read)
    {
        lock (_lock)
        {
            return read(_jobs);
        }
    }

    /// <summary>Brings the jobs in line with the monitors the config now gives the member.</summary>
    public void Update(ServiceRuntime member, IReadOnlyList<(ProbeTarget Target, string Identity)> wanted, IReadOnlyList<string> notes,
        TimeProvider time, HealthOptions options, ProbeScheduler scheduler, DateTimeOffset now)
    {
        var started = new List<ProbeJob>();
        lock (_lock)
        {
            Member = member;
            Notes = notes;
            member.Health.Passive.Threshold = member.Settings.PassiveFailures ?? options.PassiveFailureThreshold;
            var keep = new List<ProbeJob>();
            foreach (var (target, identity) in wanted)
            {
                var existing = _jobs.FirstOrDefault(j => j.Identity == identity && !keep.Contains(j));
                if (existing is not null)
                {
                    keep.Add(existing);
                    continue;
                }

                // A monitor bound to a member already known starts from the member's state, unconfirmed.
                var job = new ProbeJob(this, target, identity, member.Health.State, time, options, scheduler);
                keep.Add(job);
                started.Add(job);
            }

            foreach (var gone in _jobs.Where(j => !keep.Contains(j)))
            {
                gone.Dispose();
            }

            _jobs = keep;

            // An OUT OF SERVICE member is not probed and keeps its last state: enabling it again starts its
            // monitors from that state, unconfirmed, and no event claims it recovered while nobody looked.
            if (member.AdminEnabled)
            {
                Recompute(now);
            }
        }

        foreach (var job in started)
        {
            job.Start();
        }
    }

    /// <summary>A probe result came in; returns the delay before the job's next probe.</summary>
    public TimeSpan OnResult(ProbeJob job, ProbeResult result, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (job.IsDisposed || !_jobs.Contains(job))
            {
                return job.Monitor.Interval.Span;
            }

            if (result.NoVerdict)
            {
                return job.Monitor.Interval.Span;
            }

            // A DOWN member's reason follows its latest failure: a probe that timed out on a busy moment
            // must not hide the wrong status every later probe reports.
            if (job.Machine.Observe(result, at) || job.Machine.State == HealthState.Down)
            {
                Recompute(at);
            }

            return job.Machine.NextDelay;
        }
    }

    private void OnPassiveTripped(string reason)
    {
        lock (_lock)
        {
            // Without a probe to bring it back, a member marked DOWN by traffic would stay DOWN for good.
            if (_jobs.Count == 0)
            {
                return;
            }

            var at = _owner.Now;
            var changed = false;
            foreach (var job in _jobs)
            {
                changed |= job.Machine.ForceDown(reason, at);
            }

            _owner.OnPassiveTripped(this, reason);
            if (changed)
            {
                Recompute(at);
            }
        }
    }

    /// <summary>Sets the member's health from its monitors' states. Called under the lock.</summary>
    private void Recompute(DateTimeOffset at)
    {
        var down = _jobs.FirstOrDefault(j => j.Machine.State == HealthState.Down);
        var state = down is null ? HealthState.Up : HealthState.Down;
        var reason = down?.Machine.Reason;
        var before = Health.State;
        if (before == state && Health.LastReason == reason)
        {
            return;
        }

        Health.Set(state, reason, at);
        if (before != state)
        {
            _owner.OnStateChanged(this, state, state == HealthState.Down ? reason! : UpReason(), at);
        }
    }

    private string UpReason() => _jobs.Count == 0
        ? "no active monitor"
        : string.Join("; ", _jobs.Select(j => $"{j.Monitor.Name}: {j.Machine.LastResult?.ToString() ?? "not probed yet"}"));

    public void Dispose()
    {
        Member.Health.Passive.Tripped -= _onPassive;
        lock (_lock)
        {
            foreach (var job in _jobs)
            {
                job.Dispose();
            }

            _jobs = [];
        }
    }
}
