using System.Text.RegularExpressions;
using Portico.Scenarios.Lab;

namespace Portico.Scenarios.Dsr;

/// <summary>A DSR vserver spreads client connections over its real servers, and the replies go straight to the client.</summary>
public class DsrBalancingTests
{
    [SkippableFact]
    public async Task Many_connections_are_balanced_over_both_servers_and_no_reply_passes_through_portico()
    {
        DsrLab.SkipUnlessAvailable();
        await using var lab = await DsrLab.CreateAsync(realServers: 2);
        await lab.StartRealServerAsync(1);
        await lab.StartRealServerAsync(2);
        await lab.StartPorticoAsync(DsrConfig.For(2));
        await lab.WaitForDsrAsync("2/2 server(s) answer ARP", TimeSpan.FromSeconds(20));

        var pcap = Path.Combine(lab.Dir, "lb.pcap");
        var capture = lab.StartIn("lb", "tcpdump", "-i", "eth0", "-nn", "--immediate-mode", "-U", "-w", pcap, "ip", "host", DsrLab.Vip);
        Assert.True(await capture.WaitForOutputAsync("listening on", TimeSpan.FromSeconds(20)), capture.Output);

        var answers = await lab.RequestAsync(Enumerable.Range(43001, 60));
        await Task.Delay(500);
        capture.Interrupt();
        await capture.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(60, answers.Count);
        Assert.All(answers.Values, a => Assert.Matches("^rs[12]$", a));
        Assert.InRange(answers.Values.Count(a => a == "rs1"), 10, 50);
        Assert.InRange(answers.Values.Count(a => a == "rs2"), 10, 50);

        // Every frame to or from the VIP on Portico's interface was the client's, to the VIP (received, then
        // sent on to a server); not one came from the VIP: the servers answered the client directly.
        var (code, text) = await DsrLab.RunAsync("tcpdump", ["-r", pcap, "-nn", "ip"]);
        Assert.True(code == 0, text);
        var frames = text.Split('\n').Where(l => l.Contains(" IP ", StringComparison.Ordinal)).ToList();
        Assert.True(frames.Count >= 60 * 4, text);
        Assert.All(frames, f => Assert.Matches(new Regex($@" IP {Regex.Escape(DsrLab.Address("client"))}\.\d+ > {Regex.Escape(DsrLab.Vip)}\.80: "), f));

        var stat = await lab.CliAsync("stat lb vserver web_dsr");
        Assert.Matches(@"web_rs1\s+UP\s+\d+\s+[1-9]\d*", stat);
        Assert.Matches(@"web_rs2\s+UP\s+\d+\s+[1-9]\d*", stat);
    }
}
