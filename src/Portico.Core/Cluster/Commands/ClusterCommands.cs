using System.Text;
using System.Text.Json;
using Etcdserverpb;
using Microsoft.Extensions.DependencyInjection;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Cluster.Commands;

/// <summary><c>show cluster</c>: the members (each under its own etcd lease), the revision each runs, and their health.</summary>
internal sealed class ClusterCommands : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Query("show", "cluster", "Lists the cluster's nodes (lease-backed membership), the config revision each applied, and health")
            .Runs(async (ctx, c, ct) => await ctx.Activate<ClusterQueries>().ShowAsync(c, ct).ConfigureAwait(false));

        // Counters are per node; the cluster's figure is their sum, read from the members' keys (each refreshed every ~1.7 s).
        r.Query("stat", "cluster", "Traffic counters of every cluster node and their sum, or of one node")
            .Positional("node", Values.Name, "a node's name, as show cluster lists it", required: false)
            .Runs(async (ctx, c, ct) => await ctx.Activate<ClusterQueries>().StatAsync(c, ct).ConfigureAwait(false));
    }
}

/// <summary>The handler of <c>show cluster</c>: the node is there only under <c>portico run --cluster</c>.</summary>
internal sealed class ClusterQueries(IServiceProvider services)
{
    // A node on its own answers the question rather than failing it: "not in a cluster" is its state.
    public Task<IQueryResult> ShowAsync(ParsedCommand c, CancellationToken cancellationToken) =>
        services.GetService<ClusterNode>() is { } node
            ? ClusterList.OfAsync(node, cancellationToken)
            : Task.FromResult<IQueryResult>(NotInCluster);

    public Task<IQueryResult> StatAsync(ParsedCommand c, CancellationToken cancellationToken) =>
        services.GetService<ClusterNode>() is { } node
            ? ClusterStats.OfAsync(node, c, cancellationToken)
            : Task.FromResult<IQueryResult>(NotInCluster);

    private static MessageResult NotInCluster => new("This node is not in a cluster (portico run --cluster etcd://HOST:PORT[,HOST:PORT...]/PREFIX)");
}

/// <summary>The cluster as this node sees it.</summary>
internal sealed record ClusterList(string Cluster, string Self, string Health, string Since, long Applied, IReadOnlyList<ClusterMember> Members, string? MembersUnavailable) : IQueryResult
{
    public static async Task<IQueryResult> OfAsync(ClusterNode node, CancellationToken cancellationToken)
    {
        var (health, since, applied, _, member) = node.Self();
        var (records, unavailable) = await ClusterMembers.ReadAsync(node, cancellationToken).ConfigureAwait(false);
        var members = records.Select(r => new ClusterMember(r.Record.Name, r.Record.Applied, r.Record.Health, r.Lease)).ToList();
        return new ClusterList(node.Options.ToString(), node.Options.NodeName, health, ClusterNode.Format(since), applied, members, unavailable);
    }

    public string ToText()
    {
        var sb = new StringBuilder($"Cluster {Cluster}\n\tThis node: {Self}, revision {Applied}, {Health} (since {Since})\n");
        if (MembersUnavailable is not null)
        {
            sb.Append($"\tMembers: unknown ({MembersUnavailable})\n");
            return sb.ToString();
        }

        var table = new TextTable("Node", "Applied revision", "Health");
        foreach (var m in Members)
        {
            table.Row(m.Name, m.Applied, m.Health);
        }

        sb.Append($"{Members.Count} node(s)\n").Append(table);
        return sb.ToString();
    }
}

/// <summary>A member: its name, the revision it applied, its health, and the lease its key lives under.</summary>
internal sealed record ClusterMember(string Name, long Applied, string Health, long Lease);
