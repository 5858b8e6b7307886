using Portico.Scenarios.Lab;
using Portico.Testing;

namespace Portico.Scenarios.HighAvailability;

/// <summary>
/// The heartbeat link cut with both nodes alive (UDP 3003 dropped on both): without a witness both become primary
/// after the dead interval, NetScaler's own trade-off, and <c>show HA node</c> says so on each; when the heartbeats
/// come back the node primary longer keeps the role and the other steps down and releases the VIP.
/// </summary>
public sealed class HaSplitBrainTests
{
    [SkippableFact]
    public async Task Both_nodes_are_primary_while_heartbeats_are_cut_and_one_steps_down_when_they_return()
    {
        Netns.SkipUnlessAvailable();
        await using var lab = await HaLab.CreateAsync();
        await lab.StartNodeAsync("n1");
        await lab.StartNodeAsync("n2");
        await lab.WaitForStateAsync("n1", "Primary", TimeSpan.FromSeconds(30));
        await lab.WaitForStateAsync("n2", "Secondary", TimeSpan.FromSeconds(30));

        foreach (var node in new[] { "n1", "n2" })
        {
            var (code, text) = await lab.ExecAsync(node, "iptables", "-A", "INPUT", "-p", "udp", "--dport", "3003", "-j", "DROP");
            Assert.True(code == 0, text);
        }

        await lab.WaitForStateAsync("n2", "Primary", TimeSpan.FromSeconds(30));
        var n2 = await lab.CliAsync("n2", "show HA node");
        Assert.Contains("no heartbeat from the peer 10.98.0.1 for the dead interval (3 s)", n2);
        Assert.Contains("Master State: UNKNOWN", n2);
        Assert.Contains("Master State: Primary", await lab.CliAsync("n1", "show HA node 0"));
        Assert.True(await lab.HoldsVipAsync("n1"));
        Assert.True(await lab.HoldsVipAsync("n2"));

        foreach (var node in new[] { "n1", "n2" })
        {
            await lab.ExecAsync(node, "iptables", "-D", "INPUT", "-p", "udp", "--dport", "3003", "-j", "DROP");
        }

        await lab.WaitForStateAsync("n2", "Secondary", TimeSpan.FromSeconds(30));
        Assert.Contains("both primary (heartbeats back): the peer has been primary longer", await lab.CliAsync("n2", "show ns events"));
        Assert.True(await Eventually.TrueAsync(() => !lab.HoldsVipAsync("n2").Result, TimeSpan.FromSeconds(10)));
        Assert.True(await lab.HoldsVipAsync("n1"));
        Assert.Contains("Master State: Primary", await lab.CliAsync("n1", "show HA node 0"));
    }
}
