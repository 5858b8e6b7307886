using Portico.Testing;

namespace Portico.Scenarios.Cluster;

/// <summary>
/// Three Portico nodes sharing their config through a real etcd: a batch on any node reaches all, a concurrent
/// writer gets a conflict and nothing is applied, a node that (re)joins catches up, a node cut off from etcd keeps
/// serving its last config and says so, and one etcd member of three may die.
/// </summary>
public sealed class ClusterConfigTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    [SkippableFact]
    public async Task A_batch_applied_on_one_node_is_applied_by_every_node_and_show_cluster_lists_them_at_that_revision()
    {
        Skip.If(EtcdCluster.Unavailable is not null, EtcdCluster.Unavailable);
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = ClusterNodes.For(etcd);
        var a = await cluster.StartAsync("a", "add server seed 10.0.0.1");
        var b = await cluster.StartAsync("b");
        var c = await cluster.StartAsync("c");

        // The first node seeded the cluster with its config; the others took it in place of their own.
        Assert.True(await cluster.AllSayAsync("show server seed", "10.0.0.1", Within), await ClusterNodes.CliAsync(b, "show ns runningConfig"));

        await b.MustApplyAsync("add server web1 10.0.0.11\nadd service web1_http web1 HTTP 80");
        Assert.True(await cluster.AllSayAsync("show service web1_http", "10.0.0.11", Within));
        var revision = ClusterNodes.Member(b).Applied;
        Assert.True(await Eventually.TrueAsync(() => new[] { a, c }.All(n => ClusterNodes.Member(n).Applied == revision), Within));
        Assert.True(await Eventually.TrueAsync(() =>
        {
            var shown = ClusterNodes.CliAsync(c, "show cluster").Result;
            return shown.Contains("3 node(s)", StringComparison.Ordinal) && new[] { "a", "b", "c" }.All(n => shown.Contains($"{n}  ", StringComparison.Ordinal));
        }, Within), await ClusterNodes.CliAsync(c, "show cluster"));
        Assert.Contains($"revision {revision}, OK", await ClusterNodes.CliAsync(c, "show cluster"));
    }

    [SkippableFact]
    public async Task A_writer_behind_the_clusters_revision_gets_a_conflict_and_nothing_is_applied()
    {
        Skip.If(EtcdCluster.Unavailable is not null, EtcdCluster.Unavailable);
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = ClusterNodes.For(etcd);
        var a = await cluster.StartAsync("a");
        var b = await cluster.StartAsync("b");
        await a.MustApplyAsync("add server s1 10.0.0.1");
        Assert.True(await cluster.AllSayAsync("show server s1", "10.0.0.1", Within));

        // b stops following its watch (as a node whose watch lags would), then a writes first.
        await ClusterNodes.Member(b).StopAsync(CancellationToken.None);
        await a.MustApplyAsync("add server s2 10.0.0.2");
        var refused = await b.ApplyAsync("add server s3 10.0.0.3\nadd server s4 10.0.0.4");
        Assert.False(refused.Applied);
        Assert.Contains("cluster conflict: another node wrote the config first", refused.Describe());
        Assert.Contains("show server", (await ClusterNodes.CliAsync(b, "show server s3")) + "show server");
        Assert.DoesNotContain("10.0.0.3", await ClusterNodes.CliAsync(b, "show ns runningConfig"));
        Assert.DoesNotContain("10.0.0.4", await ClusterNodes.CliAsync(a, "show ns runningConfig"));

        // Back on its watch, b catches up to a's revision and its batch then goes through.
        await ClusterNodes.Member(b).StartAsync(CancellationToken.None);
        Assert.True(await Eventually.TrueAsync(() => ClusterNodes.CliAsync(b, "show server s2").Result.Contains("10.0.0.2", StringComparison.Ordinal), Within));
        await b.MustApplyAsync("add server s3 10.0.0.3");
        Assert.True(await cluster.AllSayAsync("show server s3", "10.0.0.3", Within));
    }

    [SkippableFact]
    public async Task A_node_that_joins_later_or_after_a_compaction_gets_the_latest_config()
    {
        Skip.If(EtcdCluster.Unavailable is not null, EtcdCluster.Unavailable);
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = ClusterNodes.For(etcd);
        var a = await cluster.StartAsync("a");
        for (var i = 1; i <= 5; i++)
        {
            await a.MustApplyAsync($"add server s{i} 10.0.0.{i}");
        }

        var compact = await etcd.Ctl(0, "compact", (await etcd.RevisionAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("compacted revision", compact);
        var late = await cluster.StartAsync("late", "add server only_on_late 10.9.9.9");
        Assert.True(await Eventually.TrueAsync(() => ClusterNodes.CliAsync(late, "show server s5").Result.Contains("10.0.0.5", StringComparison.Ordinal), Within));
        Assert.DoesNotContain("only_on_late", await ClusterNodes.CliAsync(late, "show ns runningConfig"));
        Assert.Equal(ClusterNodes.Member(a).Applied, ClusterNodes.Member(late).Applied);
    }

    [SkippableFact]
    public async Task A_node_that_was_stopped_catches_up_on_restart_and_its_stale_startup_config_is_replaced()
    {
        Skip.If(EtcdCluster.Unavailable is not null, EtcdCluster.Unavailable);
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = ClusterNodes.For(etcd);
        var a = await cluster.StartAsync("a", "add server s1 10.0.0.1");
        await cluster.StartAsync("c");
        Assert.True(await cluster.AllSayAsync("show server s1", "10.0.0.1", Within));
        var stale = await ClusterNodes.CliAsync(cluster.Nodes["c"], "show ns runningConfig");
        await cluster.StopAsync("c");

        // While c is down: a change, a removal, and a compaction of the history c would have watched.
        await a.MustApplyAsync("add server s2 10.0.0.2\nrm server s1");
        await etcd.Ctl(0, "compact", (await etcd.RevisionAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // c comes back with the config it had saved before it stopped.
        var c = await cluster.StartAsync("c", "add server s1 10.0.0.1");
        Assert.True(await Eventually.TrueAsync(() => ClusterNodes.Member(c).Applied == ClusterNodes.Member(a).Applied, Within));
        Assert.Contains("10.0.0.2", await ClusterNodes.CliAsync(c, "show server s2"));
        Assert.DoesNotContain("10.0.0.1", await ClusterNodes.CliAsync(c, "show ns runningConfig"));
        Assert.Contains("10.0.0.1", stale);
        Assert.Contains("joined: applied cluster revision", await ClusterNodes.CliAsync(c, "show ns events"));
    }

    [SkippableFact]
    public async Task A_node_cut_off_from_etcd_keeps_serving_its_last_config_refuses_batches_and_catches_up_when_back()
    {
        Skip.If(EtcdCluster.Unavailable is not null, EtcdCluster.Unavailable);
        await using var backend = TestTcpServer.Start("backend1");
        var port = Ports.Free();
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = ClusterNodes.For(etcd);
        var a = await cluster.StartAsync("a", $"add server b1 127.0.0.1\nadd service s1 b1 TCP {backend.Port}\nadd lb vserver v TCP 127.0.0.1 {port}\nbind lb vserver v s1");
        Assert.True(await Eventually.TrueAsync(() => ClusterNodes.Member(a).Applied > 0, Within));

        etcd.Kill(0);
        Assert.True(await Eventually.TrueAsync(() => ClusterNodes.CliAsync(a, "show cluster").Result.Contains("etcd unreachable", StringComparison.Ordinal), Within),
            await ClusterNodes.CliAsync(a, "show cluster"));
        var shown = await ClusterNodes.CliAsync(a, "show cluster");
        Assert.Contains($"serving the last config (revision {ClusterNodes.Member(a).Applied})", shown);
        Assert.Equal("backend1", await TestClient.WhoAnswersAsync(a.EndPointOf("v")));
        var refused = await a.ApplyAsync("add server s9 10.0.0.9");
        Assert.False(refused.Applied);
        Assert.Contains("cannot be reached", refused.Describe());
        Assert.Contains("nothing applied. This node keeps serving its last config", refused.Describe());

        etcd.Start(0);
        Assert.True(await Eventually.TrueAsync(() => ClusterNodes.CliAsync(a, "show cluster").Result.Contains(", OK (since", StringComparison.Ordinal), TimeSpan.FromSeconds(30)),
            await ClusterNodes.CliAsync(a, "show cluster"));
        await a.MustApplyAsync("add server s9 10.0.0.9");
    }

    [SkippableFact]
    public async Task With_three_etcd_members_one_may_die_and_changes_still_reach_every_node()
    {
        Skip.If(EtcdCluster.Unavailable is not null, EtcdCluster.Unavailable);
        await using var etcd = await EtcdCluster.StartAsync(size: 3);
        await using var cluster = ClusterNodes.For(etcd);
        var a = await cluster.StartAsync("a");
        await cluster.StartAsync("b");
        await cluster.StartAsync("c");
        await a.MustApplyAsync("add server before 10.0.0.1");
        Assert.True(await cluster.AllSayAsync("show server before", "10.0.0.1", Within));

        // Every node talks to the first member first: kill it.
        etcd.Kill(0);
        Assert.True(await Eventually.TrueAsync(() => a.ApplyAsync("add server after 10.0.0.2").Result.Applied, Within));
        Assert.True(await cluster.AllSayAsync("show server after", "10.0.0.2", Within));
    }
}
