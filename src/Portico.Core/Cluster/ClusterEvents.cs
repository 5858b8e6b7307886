namespace Portico.Cluster;

/// <summary>The kinds of event the cluster records in the event log (<c>show ns events</c>).</summary>
public static class ClusterEvents
{
    /// <summary>This node applied (or seeded) a cluster revision.</summary>
    public const string Revision = "CLUSTER_REVISION";

    /// <summary>A revision this node refused: it keeps serving the last one.</summary>
    public const string Refused = "CLUSTER_REVISION_REFUSED";

    /// <summary>etcd became unreachable or reachable again.</summary>
    public const string Health = "CLUSTER_HEALTH";

    /// <summary>A TTL block from another node was applied or expired here.</summary>
    public const string Block = "CLUSTER_BLOCK";
}
