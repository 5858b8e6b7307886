using System.Globalization;
using Portico.Scenarios.Cluster;
using Portico.Scenarios.Lab;
using Portico.Testing;
using Xunit.Abstractions;

namespace Portico.Scenarios.HighAvailability;

/// <summary>
/// The HA pair with an etcd witness (<c>--ha-witness</c>; etcd on the host's bridge address): the primary role is
/// an etcd lease. With the heartbeats cut and both nodes reaching etcd, the secondary stays secondary (no split
/// brain); with the primary also cut from etcd, it steps down before its lease can expire and the secondary takes
/// the VIP once it has the lease. A client loop measures what users saw; at no sample do both nodes hold the VIP.
/// </summary>
public sealed class HaWitnessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    [SkippableTheory]
    [InlineData("heartbeats cut")]
    [InlineData("heartbeats cut and the primary cut from etcd")]
    public async Task With_a_witness_at_most_one_node_holds_the_VIP_when_the_nodes_cannot_hear_each_other(string how)
    {
        Netns.SkipUnlessAvailable();
        Skip.If(EtcdCluster.Unavailable is not null, EtcdCluster.Unavailable);
        await using var lab = await HaLab.CreateAsync();
        await lab.AddHostAddressAsync();
        await using var etcd = await EtcdCluster.StartAsync(host: HaLab.HostAddress);
        var witness = etcd.Url(lab.Prefix);
        await lab.StartNodeAsync("n1", "", "--ha-witness", witness);
        await lab.StartNodeAsync("n2", "", "--ha-witness", witness);
        await lab.WaitForStateAsync("n1", "Primary", Settle);
        await lab.WaitForStateAsync("n2", "Secondary", Settle);
        Assert.Contains("Witness lease: held by this node", await lab.CliAsync("n1", "show HA node 0"));
        Assert.True(await lab.HoldsVipAsync("n1"));

        var client = lab.StartClient(seconds: 12);
        await Task.Delay(TimeSpan.FromSeconds(2));
        foreach (var node in new[] { "n1", "n2" })
        {
            var (code, text) = await lab.ExecAsync(node, "iptables", "-A", "INPUT", "-p", "udp", "--dport", "3003", "-j", "DROP");
            Assert.True(code == 0, text);
        }

        var etcdPort = new Uri(etcd.ClientUrl(0)).Port.ToString(CultureInfo.InvariantCulture);
        var cutFromEtcd = how.Contains("etcd", StringComparison.Ordinal);
        if (cutFromEtcd)
        {
            var (code, text) = await lab.ExecAsync("n1", "iptables", "-A", "OUTPUT", "-p", "tcp", "-d", HaLab.HostAddress, "--dport", etcdPort, "-j", "DROP");
            Assert.True(code == 0, text);
        }

        // Sample who holds the VIP through the dead interval and beyond: never both.
        var both = 0;
        var samples = 0;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(8);
        while (DateTime.UtcNow < until)
        {
            if (await lab.HoldsVipAsync("n1") && await lab.HoldsVipAsync("n2"))
            {
                both++;
            }

            samples++;
            await Task.Delay(100);
        }

        await client.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var seen = ClientLoop.Parse(client.Output);
        var n1 = await lab.CliAsync("n1", "show HA node");
        var n2 = await lab.CliAsync("n2", "show HA node");
        output.WriteLine($"{how}: {seen} (first failure at {seen.FirstFailureMs:F0} ms of the loop; the cut at ~2000 ms); both nodes held the VIP at {both} of {samples} samples\nn1:\n{n1}\nn2:\n{n2}");
        Assert.True(both == 0, $"{how}: both nodes held the VIP at {both} of {samples} samples\n{n1}\n{n2}");
        Assert.True(samples >= 20, $"{samples} samples");

        // Each node sees the peer UNKNOWN (no heartbeats): NetScaler's own view of a cut link.
        Assert.Contains("Master State: UNKNOWN", n1);
        Assert.Contains("Master State: UNKNOWN", n2);
        if (!cutFromEtcd)
        {
            Assert.Contains("Master State: Primary", await lab.CliAsync("n1", "show HA node 0"));
            Assert.Contains("Master State: Secondary", await lab.CliAsync("n2", "show HA node 0"));
            Assert.Contains("the witness lease is held by 10.98.0.1", await lab.CliAsync("n2", "show HA node 0"));
            Assert.True(await lab.HoldsVipAsync("n1"));
            Assert.False(await lab.HoldsVipAsync("n2"));
            // No role moved, so nothing should fail; one run under load saw 2 requests fail (654 ms) with neither node changing role.
            Assert.True(seen.LongestOutageMs < 1000, $"{how}: {seen}");
        }
        else
        {
            Assert.Contains("Master State: Secondary", await lab.CliAsync("n1", "show HA node 0"));
            Assert.Contains("cannot be reached", await lab.CliAsync("n1", "show HA node 0"));
            Assert.Contains("Master State: Primary", await lab.CliAsync("n2", "show HA node 0"));
            Assert.Contains("Witness lease: held by this node", await lab.CliAsync("n2", "show HA node 0"));
            Assert.True(await lab.HoldsVipAsync("n2"));
            Assert.False(await lab.HoldsVipAsync("n1"));

            // The bound for a failover: the dead interval plus one second.
            Assert.True(seen.LongestOutageMs <= 4000, $"{how}: {seen}");
        }
    }
}
