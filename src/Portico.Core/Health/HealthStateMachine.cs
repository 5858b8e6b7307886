using Portico.Runtime;

namespace Portico.Health;

/// <summary>
/// The rise/fall state of one monitor on one member, separate from the probes that feed it:
/// <list type="bullet">
/// <item>UP: <c>-retries</c> failed probes in a row make it DOWN; a success resets the count.</item>
/// <item>DOWN: <c>-successRetries</c> successful probes in a row make it UP; a failure resets the count.</item>
/// <item>A DOWN member is probed again after <c>-downTime</c>; once a probe succeeds the next come at
/// <c>-interval</c>, so recovery is confirmed quickly.</item>
/// <item>Passive health (<see cref="ForceDown"/>) holds the member DOWN for <c>-downTime</c>: probes that pass in
/// that time do not count, since the probe URL passing is exactly what did not tell live traffic was failing.</item>
/// <item>The starting state is a guess (UP for a new member, the member's state for a monitor bound
/// later), so the first result decides at once: a new member that does not answer is DOWN after one probe.</item>
/// </list>
/// Not thread-safe: its member serialises calls.
/// </summary>
internal sealed class HealthStateMachine(LbMonitor monitor, HealthState initial)
{
    public LbMonitor Monitor { get; } = monitor;

    public HealthState State { get; private set; } = initial;

    /// <summary>False until the first result: the starting state was only a guess.</summary>
    public bool Confirmed { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    public int ConsecutiveSuccesses { get; private set; }

    /// <summary>The result that made the state what it is (or the last one), for <c>show service</c>.</summary>
    public ProbeResult? LastResult { get; private set; }

    /// <summary>The last failed result, kept after recovery so an operator sees what went wrong.</summary>
    public ProbeResult? LastFailure { get; private set; }

    public DateTimeOffset? LastFailureAt { get; private set; }

    /// <summary>Until when successful probes do not count after passive health forced the state DOWN.</summary>
    public DateTimeOffset HeldUntil { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Feeds one probe result; true when the state changed.</summary>
    public bool Observe(ProbeResult result, DateTimeOffset at)
    {
        LastResult = result;
        var wasConfirmed = Confirmed;
        Confirmed = true;
        if (result.Ok && State == HealthState.Down && at < HeldUntil)
        {
            // Held DOWN by live traffic: the next probe comes after -downTime (NextDelay), and counts.
            ConsecutiveFailures = 0;
            ConsecutiveSuccesses = 0;
            return false;
        }

        if (result.Ok)
        {
            ConsecutiveFailures = 0;
            ConsecutiveSuccesses++;
            if (State == HealthState.Down && (!wasConfirmed || ConsecutiveSuccesses >= Monitor.SuccessRetries))
            {
                State = HealthState.Up;
                return true;
            }

            return false;
        }

        LastFailure = result;
        LastFailureAt = at;
        ConsecutiveSuccesses = 0;
        ConsecutiveFailures++;
        if (State == HealthState.Up && (!wasConfirmed || ConsecutiveFailures >= Monitor.Retries))
        {
            State = HealthState.Down;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Marks DOWN now, whatever the count (passive health saw live traffic fail), and holds it DOWN for the
    /// monitor's <c>-downTime</c>; true when it was UP.
    /// </summary>
    public bool ForceDown(string reason, DateTimeOffset at)
    {
        HeldUntil = at + Monitor.DownTime.Span;
        LastFailure = new ProbeResult(ProbeStatus.PASSIVE, reason);
        LastResult = LastFailure;
        LastFailureAt = at;
        Confirmed = true;
        ConsecutiveSuccesses = 0;
        if (State == HealthState.Down)
        {
            return false;
        }

        State = HealthState.Down;
        return true;
    }

    /// <summary>How long after a probe starts the next one should: <c>-downTime</c> while DOWN with no success yet, else <c>-interval</c>.</summary>
    public TimeSpan NextDelay => State == HealthState.Down && ConsecutiveSuccesses == 0 && Confirmed
        ? Monitor.DownTime.Span
        : Monitor.Interval.Span;

    /// <summary>Why the state is DOWN, naming the monitor and layer: <c>tcp-default: L4CON connection refused</c>.</summary>
    public string Reason => LastFailure is { Status: ProbeStatus.PASSIVE } passive
        ? $"passive health: {passive.Detail}"
        : $"{Monitor.Name}: {LastFailure?.ToString() ?? "no probe yet"}";
}
