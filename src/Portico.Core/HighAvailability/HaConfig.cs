using System.Net;

namespace Portico.HighAvailability;

/// <summary>
/// The HA pair as this node's config has it: the peer (<c>add HA node 1 10.0.0.2</c>) and this node's own
/// settings (node 0, <c>set HA node</c>). Node-local: never sent to the peer by config sync.
/// </summary>
/// <param name="Peer">The other node, or null while this node runs alone.</param>
public sealed record HaConfig(HaPeer? Peer, HaSettings Local)
{
    public static readonly HaConfig None = new(null, HaSettings.Default);
}

/// <summary>The peer node: its id (1-64, as on NetScaler) and its own address (its NSIP), where heartbeats go.</summary>
public sealed record HaPeer(int Id, IPAddress Address);

/// <summary>This node's HA settings (NetScaler's defaults: hello 200 ms, dead 3 s, sync and propagation on).</summary>
/// <param name="HelloMilliseconds">How often a heartbeat goes to the peer (<c>-helloInterval</c>, 200-1000 ms).</param>
/// <param name="DeadSeconds">How long without a heartbeat before the peer counts as dead (<c>-deadInterval</c>, 3-60 s).</param>
/// <param name="Sync">Whether this node, as secondary, takes the primary's config (<c>-haSync</c>).</param>
/// <param name="Propagation">Whether this node, as primary, announces every change at once (<c>-haProp</c>).</param>
public sealed record HaSettings(HaStatus Status, int HelloMilliseconds, int DeadSeconds, bool Sync, bool Propagation)
{
    public const int DefaultHello = 200;
    public const int DefaultDead = 3;

    public static readonly HaSettings Default = new(HaStatus.Enabled, DefaultHello, DefaultDead, Sync: true, Propagation: true);

    public TimeSpan Hello => TimeSpan.FromMilliseconds(HelloMilliseconds);

    public TimeSpan Dead => TimeSpan.FromSeconds(DeadSeconds);
}
