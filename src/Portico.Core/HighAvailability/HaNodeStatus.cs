using System.Net;

namespace Portico.HighAvailability;

/// <summary>This node's view of the pair at one moment, for <c>show HA node</c>.</summary>
public sealed record HaNodeStatus(
    IPAddress? Self,
    HaConfig Config,
    HaRole? Role,
    string? Reason,
    DateTimeOffset? LastTransition,
    int Transitions,
    HaRole? PeerRole,
    DateTimeOffset? PeerHeardAt,
    Heartbeat? PeerLast,
    string? UplinkDown,
    string SyncState,
    DateTimeOffset? LastSync,
    ulong? SyncedDigest,
    ulong ConfigDigest,
    IReadOnlyList<string> OwnedAddresses,
    long RefusedHeartbeats,
    string? Witness = null);
