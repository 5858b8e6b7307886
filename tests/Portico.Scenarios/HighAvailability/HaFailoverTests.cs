using System.Globalization;
using Portico.Scenarios.Lab;
using Xunit.Abstractions;

namespace Portico.Scenarios.HighAvailability;

/// <summary>
/// The HA pair under load: a client keeps requesting the VIP while the primary dies (<c>kill -9</c>), loses its
/// link, or is failed over by the operator; the secondary takes the VIP (address, gratuitous ARP, listener). What
/// the client saw is measured: failed requests and the longest time without service, which must stay within the
/// dead interval plus one second (the issue's bound; a forced failover within one second).
/// </summary>
public sealed class HaFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    [SkippableTheory]
    [InlineData("kill -9")]
    [InlineData("link cut")]
    [InlineData("force HA failover")]
    public async Task The_secondary_takes_the_VIP_and_the_clients_lose_at_most_the_dead_interval_plus_a_second(string how)
    {
        Netns.SkipUnlessAvailable();
        await using var lab = await HaLab.CreateAsync();
        await lab.StartNodeAsync("n1");
        await lab.StartNodeAsync("n2");
        await lab.WaitForStateAsync("n1", "Primary", Settle);
        await lab.WaitForStateAsync("n2", "Secondary", Settle);
        Assert.True(await Portico.Testing.Eventually.TrueAsync(() => lab.CliAsync("n2", "show HA node 0").Result.Contains("(SUCCESS)", StringComparison.Ordinal), Settle));
        Assert.True(await lab.HoldsVipAsync("n1"));
        Assert.False(await lab.HoldsVipAsync("n2"));
        Assert.Contains("standby: this node is the HA secondary", await lab.CliAsync("n2", "show lb vserver vip"));

        var client = lab.StartClient(seconds: 10);
        await Task.Delay(TimeSpan.FromSeconds(2));
        switch (how)
        {
            case "kill -9":
                await Command.RunAsync("kill", ["-9", lab.Nodes["n1"].Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
                break;
            case "link cut":
                await lab.HostAsync("ip", "link", "set", lab.Link("n1"), "down");
                break;
            default:
                Assert.Contains("Done: failover started", await lab.CliAsync("n1", "force HA failover"));
                break;
        }

        await client.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var seen = ClientLoop.Parse(client.Output);
        output.WriteLine($"{how}: {seen}");
        await lab.WaitForStateAsync("n2", "Primary", Settle);
        Assert.True(await lab.HoldsVipAsync("n2"));
        Assert.True(seen.Requests >= 20, $"{how}: the client loop ran {seen.Requests} requests:\n{client.Output}");
        var bound = how == "force HA failover" ? 1000 : 4000;
        Assert.True(seen.LongestOutageMs <= bound, $"{how}: {seen}; bound {bound} ms\n{lab.CliAsync("n2", "show HA node").Result}");

        if (how == "link cut")
        {
            // The node that lost its uplink stepped down and released the VIP: it says why.
            Assert.False(await lab.HoldsVipAsync("n1"));
            Assert.Contains("uplink eth0 (carrying 10.98.0.1) is", await lab.CliAsync("n1", "show HA node 0"));
        }

        if (how == "kill -9")
        {
            // The killed node comes back as secondary: it releases the VIP it left behind and takes the primary's config.
            await lab.Nodes["n1"].DisposeAsync();
            await lab.StartNodeAsync("n1", "add server only_before_restart 10.98.0.99");
            await lab.WaitForStateAsync("n1", "Secondary", Settle);
            Assert.True(await Portico.Testing.Eventually.TrueAsync(() => !lab.HoldsVipAsync("n1").Result, Settle));
            Assert.True(await Portico.Testing.Eventually.TrueAsync(() => lab.CliAsync("n1", "show HA node 0").Result.Contains("(SUCCESS)", StringComparison.Ordinal), Settle));
            await lab.CliAsync("n2", "add server added_on_n2 10.98.0.98");
            Assert.True(await Portico.Testing.Eventually.TrueAsync(() => lab.CliAsync("n1", "show ns runningConfig").Result.Contains("added_on_n2", StringComparison.Ordinal), Settle));
            Assert.DoesNotContain("only_before_restart", await lab.CliAsync("n1", "show ns runningConfig"));
        }
    }
}
