using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Cluster.Commands;

/// <summary><c>stat cluster [node]</c>: each node's traffic totals as it last published them, and their sum.</summary>
internal sealed record ClusterStats(string Cluster, IReadOnlyList<ClusterNode.MemberRecord> Nodes, bool WithSum) : IQueryResult
{
    public static async Task<IQueryResult> OfAsync(ClusterNode node, ParsedCommand c, CancellationToken cancellationToken)
    {
        var (members, unavailable) = await ClusterMembers.ReadAsync(node, cancellationToken).ConfigureAwait(false);
        if (unavailable is not null)
        {
            throw c.Error($"the cluster store {node.Options} cannot be reached ({unavailable}): the other nodes' counters are unknown; stat lb vserver shows this node's");
        }

        var records = members.Select(m => m.Record).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        if (c.MaybeRef<string>("node") is { } name)
        {
            var one = records.Find(r => r.Name == name)
                ?? throw c.Error("node", $"no cluster node named '{name}' (nodes: {string.Join(", ", records.Select(r => r.Name))})");
            return new ClusterStats(node.Options.ToString(), [one], WithSum: false);
        }

        return new ClusterStats(node.Options.ToString(), records, WithSum: true);
    }

    public string ToText()
    {
        var table = new TextTable("Node", "Current client conns", "Client connections", "Requests", "Bytes from clients", "Bytes to clients", "Denied", "As of");
        var sum = ClusterCounters.Zero;
        foreach (var n in Nodes)
        {
            var c = n.Counters ?? ClusterCounters.Zero;
            sum = sum.Plus(c);
            table.Row(n.Name, c.CurrentConnections, c.Connections, c.Requests, c.BytesIn, c.BytesOut, c.Denied, n.CountedAt is { } at ? ClusterNode.Format(at) : "-");
        }

        if (WithSum)
        {
            table.Row($"(sum of {Nodes.Count})", sum.CurrentConnections, sum.Connections, sum.Requests, sum.BytesIn, sum.BytesOut, sum.Denied, "");
        }

        return new StringBuilder($"Cluster {Cluster}: traffic counters per node (each node counts its own; refreshed every ~2 s)\n").Append(table).ToString();
    }
}
