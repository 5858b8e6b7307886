using Portico.Testing;

namespace Portico.Scenarios.Cluster;

/// <summary>A simple ACL with a TTL added on one node blocks that client on every node, and expires everywhere together (an etcd lease).</summary>
public sealed class ClusterBlockTests
{
    [SkippableFact]
    public async Task A_TTL_block_reaches_every_node_and_expires_on_every_node()
    {
        Skip.If(EtcdCluster.Unavailable is not null, EtcdCluster.Unavailable);
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = ClusterNodes.For(etcd);
        var a = await cluster.StartAsync("a");
        await cluster.StartAsync("b");
        await cluster.StartAsync("c");
        Assert.True(await Eventually.TrueAsync(() => cluster.Nodes.Values.All(n => ClusterNodes.Member(n).Applied > 0), TimeSpan.FromSeconds(15)));

        await a.MustApplyAsync("add ns simpleacl attacker DENY -srcIP 192.0.2.66 -TTL 4");
        Assert.True(await cluster.AllSayAsync("show ns simpleacl attacker", "192.0.2.66", TimeSpan.FromSeconds(5)),
            string.Join("\n", cluster.Nodes.Select(n => n.Key + ": " + ClusterNodes.CliAsync(n.Value, "show ns simpleacl").Result)));
        Assert.Contains("block attacker from the cluster applied here", await ClusterNodes.CliAsync(cluster.Nodes["b"], "show ns events"));

        // Gone from every node once the lease expires (4 s, plus etcd's lease check).
        Assert.True(await Eventually.TrueAsync(() => cluster.Nodes.Values.All(n => !ClusterNodes.CliAsync(n, "show ns simpleacl").Result.Contains("attacker", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(15)), string.Join("\n", cluster.Nodes.Select(n => n.Key + ": " + ClusterNodes.CliAsync(n.Value, "show ns simpleacl").Result)));

        // The block is runtime state: no config revision carried it.
        Assert.DoesNotContain("attacker", await ClusterNodes.CliAsync(a, "show ns runningConfig"));
    }
}
