using System.Text.RegularExpressions;
using Portico.Scenarios.Lab;

namespace Portico.Scenarios.Dsr;

/// <summary>
/// The ARP trap of the source document: a real server with the VIP on lo but without arp_ignore/arp_announce
/// answers ARP for the VIP and steals its traffic. The trap is reproduced, seen by Portico, explained by
/// <c>portico realserver check</c>, and gone after <c>portico realserver setup --apply</c>.
/// </summary>
public class DsrArpTrapTests
{
    [SkippableFact]
    public async Task A_real_server_without_the_sysctls_answers_arp_for_the_vip_and_check_reports_it()
    {
        DsrLab.SkipUnlessAvailable();
        await using var lab = await DsrLab.CreateAsync(realServers: 1);
        await lab.StartRealServerAsync(1, setup: false);
        await lab.StartPorticoAsync(DsrConfig.For(1));
        await lab.WaitForDsrAsync("1/1 server(s) answer ARP", TimeSpan.FromSeconds(20));
        var rsMac = (await lab.ExecAsync("rs1", "cat", "/sys/class/net/eth0/address")).Output.Trim();
        var lbMac = (await lab.ExecAsync("lb", "cat", "/sys/class/net/eth0/address")).Output.Trim();

        // The trap: two hosts answer who-has VIP.
        var macs = await ArpAnswers(lab);
        Assert.Contains(rsMac, macs);
        Assert.Contains(lbMac, macs);

        var (code, check) = await lab.ExecAsync("rs1", "dotnet", Portico.Testing.PorticoProcess.Dll, "realserver", "check", "--vip", DsrLab.Vip);
        Assert.Equal(1, code);
        Assert.Contains("OK    VIP 10.99.0.100/32 is on lo", check);
        Assert.Contains("WRONG arp_ignore is 0", check);
        Assert.Contains("WRONG arp_announce is 0", check);
        Assert.Contains("bypassing Portico (the ARP trap)", check);
        Assert.Contains("shows two MACs", check);

        // Portico sees it too, from its own side of the segment.
        await lab.WaitForDsrAsync($"ARP trap: {rsMac} (real server {DsrLab.Address("rs1")}) also answered ARP for VIP {DsrLab.Vip}", TimeSpan.FromSeconds(10));
        Assert.Contains($"{rsMac} also answers ARP for VIP", lab.Portico!.Output);
        Assert.Contains($"ARP trap: {DsrLab.Address("rs1")} ({rsMac}) also answers ARP for the VIP", await lab.CliAsync("show lb vserver web_dsr"));

        var (setupCode, setup) = await lab.ExecAsync("rs1", "dotnet", Portico.Testing.PorticoProcess.Dll, "realserver", "setup", "--vip", DsrLab.Vip, "--apply");
        Assert.True(setupCode == 0, setup);
        Assert.Contains("set net.ipv4.conf.all.arp_ignore=1 (was 0)", setup);
        Assert.Contains("set net.ipv4.conf.eth0.arp_announce=2 (was 0)", setup);
        (code, check) = await lab.ExecAsync("rs1", "dotnet", Portico.Testing.PorticoProcess.Dll, "realserver", "check", "--vip", DsrLab.Vip);
        Assert.True(code == 0, check);

        macs = await ArpAnswers(lab);
        Assert.Equal([lbMac], macs.Distinct());
        var answers = await lab.RequestAsync(Enumerable.Range(47001, 5));
        Assert.All(answers.Values, a => Assert.Equal("rs1", a));
    }

    /// <summary>The MACs that answer <c>arping</c> for the VIP from the client.</summary>
    private static async Task<List<string>> ArpAnswers(DsrLab lab)
    {
        var (_, output) = await lab.ExecAsync("client", "arping", "-c", "3", "-w", "5", "-I", "eth0", DsrLab.Vip);
        return [.. Regex.Matches(output, @"\[([0-9A-Fa-f:]{17})\]").Select(m => m.Groups[1].Value.ToLowerInvariant())];
    }
}
