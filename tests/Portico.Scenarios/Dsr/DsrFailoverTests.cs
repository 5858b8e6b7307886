using Portico.Scenarios.Lab;

namespace Portico.Scenarios.Dsr;

/// <summary>
/// A real server that dies takes only its own flows with it: Maglev moves nothing else. Two ways to die: its
/// HTTP server is killed (a health monitor sees it) or its host leaves the segment (it stops answering ARP).
/// </summary>
public class DsrFailoverTests
{
    private const string FastMonitor = """
        add lb monitor fast TCP -interval 200 MSEC -resptimeout 150 MSEC -retries 2
        bind service web_rs1 -monitorName fast
        bind service web_rs2 -monitorName fast
        bind service web_rs3 -monitorName fast

        """;

    [SkippableTheory]
    [InlineData("server process killed")]
    [InlineData("host gone from the segment")]
    public async Task Killing_one_server_moves_only_its_flows(string how)
    {
        DsrLab.SkipUnlessAvailable();
        await using var lab = await DsrLab.CreateAsync(realServers: 3);
        for (var i = 1; i <= 3; i++)
        {
            await lab.StartRealServerAsync(i);
        }

        await lab.StartPorticoAsync(DsrConfig.For(3) + FastMonitor);
        await lab.WaitForDsrAsync("3/3 server(s) answer ARP", TimeSpan.FromSeconds(20));
        var ports = Enumerable.Range(44001, 90).ToList();
        var before = await lab.RequestAsync(ports);
        Assert.Equal(90, before.Count);
        Assert.All(new[] { "rs1", "rs2", "rs3" }, rs => Assert.InRange(before.Values.Count(a => a == rs), 10, 60));

        if (how == "server process killed")
        {
            // The host still answers ARP; the monitor finds the port closed and marks the service DOWN.
            lab.Servers[3].Dispose();
            await lab.WaitForDsrAsync(" 2/3 ", TimeSpan.FromSeconds(15));
            Assert.Matches(@"(?s)web_rs3\b.*\bDOWN\b", await lab.CliAsync("show service web_rs3"));
        }
        else
        {
            // The host goes away: it stops answering ARP, and Portico takes it out of the Maglev table.
            await lab.ExecAsync("rs3", "ip", "link", "set", "eth0", "down");
            await lab.WaitForDsrAsync("2/3 server(s) answer ARP", TimeSpan.FromSeconds(15));
            Assert.Contains("no ARP answer from 10.99.0.13", await lab.CliAsync("show lb vserver web_dsr"));
            Assert.Contains("stopped answering ARP", lab.Portico!.Output);
        }

        var after = await lab.RequestAsync(ports);
        foreach (var port in ports)
        {
            if (before[port] == "rs3")
            {
                Assert.Contains(after[port], new[] { "rs1", "rs2" });
            }
            else
            {
                Assert.Equal(before[port], after[port]);
            }
        }

    }
}
