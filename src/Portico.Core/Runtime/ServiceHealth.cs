namespace Portico.Runtime;

/// <summary>
/// The health of one member, shared across config generations. Health monitoring writes it; the
/// balancers read it on every pick and rebuild their tables when <see cref="Changed"/> fires.
/// </summary>
public sealed class ServiceHealth
{
    private volatile int _state = (int)HealthState.Up;

    /// <summary>Raised after the state changed, with the new state.</summary>
    public event Action<ServiceHealth, HealthState>? Changed;

    public HealthState State => (HealthState)_state;

    /// <summary>Why the last probe failed, naming the layer; null when none failed.</summary>
    public string? LastReason { get; private set; }

    /// <summary>
    /// What the traffic itself says about the member: the data paths report connect and response
    /// failures here, and enough of them in a row mark the member DOWN between probes.
    /// </summary>
    public PassiveHealth Passive { get; } = new();

    /// <summary>When the state last changed.</summary>
    public DateTimeOffset LastChange { get; private set; } = DateTimeOffset.UtcNow;

    public void Set(HealthState state, string? reason, DateTimeOffset at)
    {
        LastReason = reason;
        if (Interlocked.Exchange(ref _state, (int)state) != (int)state)
        {
            LastChange = at;
            Changed?.Invoke(this, state);
        }
    }
}
