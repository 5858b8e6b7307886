using Microsoft.Extensions.DependencyInjection;
using Portico.Cluster;
using Portico.Listeners;
using Portico.Testing;

namespace Portico.Scenarios.Cluster;

/// <summary>Portico engines in this process, each a member of the same cluster (a prefix of its own per test).</summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private readonly EtcdCluster _etcd;

    private ClusterNodes(EtcdCluster etcd, string prefix)
    {
        _etcd = etcd;
        Prefix = prefix;
    }

    public string Prefix { get; }

    public Dictionary<string, PorticoHost> Nodes { get; } = [];

    public static ClusterNodes For(EtcdCluster etcd) => new(etcd, "t" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>
    /// Starts node <paramref name="name"/>. The nodes share one loopback here, where real nodes each have their own
    /// addresses: a node started with <paramref name="serves"/> false keeps its vservers in standby, so the one that
    /// serves can bind the shared VIP.
    /// </summary>
    public async Task<PorticoHost> StartAsync(string name, string config = "", bool serves = true)
    {
        var options = ClusterOptions.Parse(_etcd.Url(Prefix), name);
        var host = await PorticoHost.StartAsync(config, configure: s =>
        {
            s.AddPorticoCluster(options);
            if (!serves)
            {
                s.AddSingleton<IVipOwnershipPolicy>(new ServedElsewhere());
            }
        });
        Nodes[name] = host;

        // Joined before the next node starts, so the first node's config is the one that seeds the cluster.
        Assert.True(await Eventually.TrueAsync(() => Member(host).Applied > 0, TimeSpan.FromSeconds(15)), $"node {name} did not join: " + await CliAsync(host, "show cluster"));
        return host;
    }

    public static ClusterNode Member(PorticoHost host) => host.Services.GetRequiredService<ClusterNode>();

    public static async Task<string> CliAsync(PorticoHost host, string command) => (await host.ApplyAsync(command)).Describe();

    /// <summary>Waits until <paramref name="command"/> on every node says <paramref name="text"/>.</summary>
    public async Task<bool> AllSayAsync(string command, string text, TimeSpan within) =>
        await Eventually.TrueAsync(() => Nodes.Values.All(n => CliAsync(n, command).Result.Contains(text, StringComparison.Ordinal)), within);

    public async Task StopAsync(string name)
    {
        await Nodes[name].DisposeAsync();
        Nodes.Remove(name);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var n in Nodes.Values)
        {
            await n.DisposeAsync();
        }
    }

    private sealed class ServedElsewhere : IVipOwnershipPolicy
    {
        public string? StandbyReason(IListeningVserver vserver) => "standby: another node of this one-host lab serves the VIP";
    }
}
