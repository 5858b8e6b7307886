using System.Text.RegularExpressions;
using Portico.Testing;

namespace Portico.Scenarios.Cluster;

/// <summary><c>stat cluster</c>: every node counts its own traffic; any node shows each node's counters and their sum.</summary>
public sealed partial class ClusterStatTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    [SkippableFact]
    public async Task Stat_cluster_on_any_node_shows_each_nodes_traffic_and_the_sum_or_one_node()
    {
        Skip.If(EtcdCluster.Unavailable is not null, EtcdCluster.Unavailable);
        await using var backend = TestTcpServer.Start("backend1");
        var port = Ports.Free();
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = ClusterNodes.For(etcd);
        var b = await cluster.StartAsync("b", $"add server b1 127.0.0.1\nadd service s1 b1 TCP {backend.Port}\nset service s1 -healthMonitor NO\nadd lb vserver v TCP 127.0.0.1 {port}\nbind lb vserver v s1");
        var a = await cluster.StartAsync("a", serves: false);
        Assert.True(await cluster.AllSayAsync("show lb vserver v", $"127.0.0.1:{port}", Within));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("backend1", await TestClient.WhoAnswersAsync(b.EndPointOf("v")));
        }

        // a served nothing; b's three connections reach a's view with b's next keep-alive.
        var shown = "";
        Assert.True(await Eventually.TrueAsync(() => Row().IsMatch(shown = ClusterNodes.CliAsync(a, "stat cluster").Result), Within), shown);
        Assert.Matches(@"\n\s*a\s+0\s+0\s", shown);
        Assert.Matches(@"\(sum of 2\)\s+0\s+3\s", shown);

        var one = await ClusterNodes.CliAsync(a, "stat cluster b");
        Assert.Matches(Row(), one);
        Assert.DoesNotContain("sum of", one);
        Assert.DoesNotMatch(@"\n\s*a\s", one);

        var unknown = await ClusterNodes.CliAsync(a, "stat cluster nosuch");
        Assert.Contains("no cluster node named 'nosuch' (nodes: a, b)", unknown);
    }

    [GeneratedRegex(@"\n\s*b\s+0\s+3\s")]
    private static partial Regex Row();
}
