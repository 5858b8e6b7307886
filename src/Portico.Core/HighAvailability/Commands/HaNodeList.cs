using System.Globalization;
using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.HighAvailability.Commands;

/// <summary><c>show HA node</c>: this node (0) and its peer, each with its state as this node sees it.</summary>
internal sealed record HaNodeList(IReadOnlyList<HaNodeView> Nodes) : IQueryResult
{
    public static HaNodeList Of(HaNodeStatus s, ParsedCommand c)
    {
        var id = c.Has("id") ? (int?)c.Get<long>("id") : null;
        var nodes = new List<HaNodeView> { Self(s) };
        if (s.Config.Peer is { } peer)
        {
            nodes.Add(Peer(s, peer));
        }

        var shown = nodes.Where(n => id is null || n.Id == id).ToList();
        return shown.Count == 0 ? throw c.Error("id", $"no HA node {id}") : new HaNodeList(shown);
    }

    private static HaNodeView Self(HaNodeStatus s) => new(
        0,
        s.Self?.ToString() ?? "- (no ns ip of type NSIP)",
        true,
        s.UplinkDown is null ? "UP" : "DOWN",
        s.Config.Peer is null ? "Standalone" : s.Role is { } r ? HaWords.Roles[r] : "-",
        HaWords.Statuses[s.Config.Local.Status],
        s.Config.Local.Sync ? "ENABLED" : "DISABLED",
        s.SyncState,
        s.Config.Local.Propagation ? "ENABLED" : "DISABLED",
        s.Config.Local.HelloMilliseconds,
        s.Config.Local.DeadSeconds,
        s.LastTransition,
        s.Reason ?? (s.Config.Peer is null ? "no HA peer" : "no address of its own: add ns ip <address> <netmask> -type NSIP"),
        s.Transitions,
        s.OwnedAddresses,
        s.UplinkDown,
        null,
        s.Witness);

    private static HaNodeView Peer(HaNodeStatus s, HaPeer peer) => new(
        peer.Id,
        peer.Address.ToString(),
        false,
        s.PeerRole is null ? "DOWN" : "UP",
        s.PeerRole is { } r ? HaWords.Roles[r] : "UNKNOWN",
        s.PeerLast is null ? "-" : s.PeerLast.Flags.HasFlag(HeartbeatFlags.StayPrimary) ? "STAYPRIMARY" : s.PeerLast.Flags.HasFlag(HeartbeatFlags.Eligible) ? "ENABLED" : "not eligible",
        "-",
        s.SyncedDigest is null ? "-" : s.PeerLast?.ConfigDigest == s.SyncedDigest ? "in sync" : "differs",
        "-",
        0,
        0,
        null,
        s.PeerRole is null
            ? s.PeerHeardAt is { } at ? $"no heartbeat since {at:yyyy-MM-dd HH:mm:ss.fff} UTC" : "never heard"
            : $"last heartbeat {s.PeerHeardAt:yyyy-MM-dd HH:mm:ss.fff} UTC",
        0,
        [],
        null,
        s.RefusedHeartbeats);

    public string ToText()
    {
        var sb = new StringBuilder();
        var i = 1;
        foreach (var n in Nodes)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{i++})\tNode ID: {n.Id}{(n.Local ? " (this node)" : "")}\n");
            sb.Append(CultureInfo.InvariantCulture, $"\tIP: {n.Address}\n");
            sb.Append(CultureInfo.InvariantCulture, $"\tNode State: {n.NodeState}\n");
            sb.Append(CultureInfo.InvariantCulture, $"\tMaster State: {n.MasterState}\n");
            sb.Append(CultureInfo.InvariantCulture, $"\tHA Status: {n.HaStatus}\n");
            if (n.Local)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\tSync State: {n.Sync} ({n.SyncState})\n");
                sb.Append(CultureInfo.InvariantCulture, $"\tPropagation: {n.Propagation}\n");
                sb.Append(CultureInfo.InvariantCulture, $"\tHello Interval: {n.HelloMilliseconds} msecs\n");
                sb.Append(CultureInfo.InvariantCulture, $"\tDead Interval: {n.DeadSeconds} secs\n");
                sb.Append(CultureInfo.InvariantCulture, $"\tLast transition: {(n.LastTransition is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC" : "-")} ({n.Transitions} since start)\n");
                sb.Append(CultureInfo.InvariantCulture, $"\tWhy: {n.Why}\n");
                sb.Append(CultureInfo.InvariantCulture, $"\tOwned addresses: {(n.Owned.Count == 0 ? "-" : string.Join(", ", n.Owned))}\n");
                if (n.Witness is not null)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"\tWitness lease: {n.Witness}\n");
                }
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"\tConfig: {n.SyncState}\n");
                sb.Append(CultureInfo.InvariantCulture, $"\tHeartbeats: {n.Why}; {n.RefusedHeartbeats} refused (not from the peer, or malformed)\n");
            }
        }

        return sb.ToString();
    }
}

/// <summary>One node of <c>show HA node</c>.</summary>
/// <param name="MasterState">Primary, Secondary, Standalone (no peer), or UNKNOWN for a peer not heard.</param>
/// <param name="Why">This node: why it has its role; the peer: when it was last heard.</param>
internal sealed record HaNodeView(
    int Id,
    string Address,
    bool Local,
    string NodeState,
    string MasterState,
    string HaStatus,
    string Sync,
    string SyncState,
    string Propagation,
    int HelloMilliseconds,
    int DeadSeconds,
    DateTimeOffset? LastTransition,
    string Why,
    int Transitions,
    IReadOnlyList<string> Owned,
    string? UplinkDown,
    long? RefusedHeartbeats,
    string? Witness = null);
