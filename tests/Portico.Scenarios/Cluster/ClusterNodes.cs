using Microsoft.Extensions.DependencyInjection;
using Portico.Cluster;
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

    public async Task<PorticoHost> StartAsync(string name, string config = "")
    {
        var options = ClusterOptions.Parse(_etcd.Url(Prefix), name);
        var host = await PorticoHost.StartAsync(config, configure: s => s.AddPorticoCluster(options));
        Nodes[name] = host;
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
}
