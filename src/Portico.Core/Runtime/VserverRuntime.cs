using Portico.Counters;
using Portico.LoadBalancing;

namespace Portico.Runtime;

/// <summary>
/// One vserver compiled for the data path: its members flattened from services and groups, its
/// balancing method built over them, its counters, and its backup resolved to another runtime.
/// </summary>
public sealed class VserverRuntime
{
    private readonly Action<ServiceHealth, HealthState> _onHealth;
    private string? _listenFailure;

    /// <param name="balancer">The vserver's method built over <paramref name="members"/> (by the compiler, which knows the methods).</param>
    public VserverRuntime(LbVserver config, IReadOnlyList<BalancingMember> members, IBalancingMethod balancer, VserverCounters counters)
    {
        Config = config;
        Members = members;
        Counters = counters;
        Balancer = balancer;
        _onHealth = (_, _) => Balancer.OnMembershipChanged();
    }

    /// <summary>
    /// Set by the compiler when this model lifts the carried-over <see cref="Hold"/> (the vserver no longer
    /// holds its primary, or was enabled again); done at <see cref="Activate"/>, so a rejected batch lifts nothing.
    /// </summary>
    public bool ReleasesHold { get; init; }

    public LbVserver Config { get; }

    public string Name => Config.Name;

    public IReadOnlyList<BalancingMember> Members { get; }

    public IBalancingMethod Balancer { get; }

    public VserverCounters Counters { get; }

    /// <summary>Set while <c>-disablePrimaryOnDown</c> keeps traffic on the backup vserver.</summary>
    public PrimaryHold Hold { get; internal set; } = new();

    /// <summary>Clients must start every connection with a PROXY header (the vserver's net profile has <c>-proxyProtocol ENABLED</c>).</summary>
    public bool AcceptsProxyProtocol { get; init; }

    /// <summary>The vserver that takes over when this one has no member, or past its spillover threshold.</summary>
    public VserverRuntime? Backup { get; internal set; }

    /// <summary>At least one member can take a connection.</summary>
    public bool HasAvailableMember => Members.Any(m => m.Service.IsAvailable);

    /// <summary>
    /// Why this enabled, addressable vserver has no listening socket (its address is in use, another vserver
    /// holds it); null while it listens or has nothing to listen on. Set by the listeners when they reconcile
    /// this generation.
    /// </summary>
    public string? ListenFailure
    {
        get => Volatile.Read(ref _listenFailure);
        internal set => Volatile.Write(ref _listenFailure, value);
    }

    /// <summary>
    /// <c>UP</c>, <c>DOWN</c> or <c>OUT OF SERVICE</c>, as <c>show lb vserver</c> prints: a vserver that cannot
    /// listen is DOWN whatever its members, since no client can reach it.
    /// </summary>
    public string StateWord => !Config.Enabled ? "OUT OF SERVICE" : ListenFailure is null && HasAvailableMember ? "UP" : "DOWN";

    /// <summary>Stops listening to member health once a newer generation replaced this runtime.</summary>
    /// <summary>
    /// Puts this runtime in force (the engine's commit): follows its members' health from now on, caught up
    /// with any change since it was compiled, and lifts the hold if it should. Nothing of this happens while
    /// the model is only prepared, so a batch rejected after compiling leaves no subscription behind.
    /// </summary>
    internal void Activate()
    {
        foreach (var health in Members.Select(m => m.Service.Health).Distinct())
        {
            health.Changed += _onHealth;
        }

        Balancer.OnMembershipChanged();
        if (ReleasesHold)
        {
            Hold.Release();
        }
    }

    internal void Retire()
    {
        foreach (var health in Members.Select(m => m.Service.Health).Distinct())
        {
            health.Changed -= _onHealth;
        }
    }
}
