using Portico.Scenarios.Lab;

namespace Portico.Scenarios.Dsr;

/// <summary>What an operator is told when a DSR vserver cannot be served, in the words of the fix.</summary>
public class DsrErrorTests
{
    [SkippableFact]
    public async Task Each_reason_a_dsr_vserver_cannot_be_served_is_named_in_show_lb_vserver()
    {
        DsrLab.SkipUnlessAvailable();
        await using var lab = await DsrLab.CreateAsync(realServers: 1);
        await lab.StartRealServerAsync(1);
        await lab.ExecAsync("lb", "ip", "addr", "add", "10.99.0.102/32", "dev", "lo");
        await lab.StartPorticoAsync("""
            add server rs1 10.99.0.11
            add server ghost 10.99.0.55
            add service web_rs1 rs1 TCP 80
            add service web_ghost ghost TCP 80
            add lb vserver no_nic TCP 10.99.0.103 80 -m MAC -dsrInterface nosuch0
            add lb vserver silent TCP 10.99.0.100 80 -m MAC
            add lb vserver owned TCP 10.99.0.102 80 -m MAC
            add lb vserver elsewhere TCP 192.0.2.1 80 -m MAC
            bind lb vserver no_nic web_rs1
            bind lb vserver silent web_rs1
            bind lb vserver silent web_ghost
            bind lb vserver owned web_rs1
            bind lb vserver elsewhere web_rs1
            """);

        Assert.Contains("interface nosuch0 does not exist on this host", lab.Portico!.Output);
        await lab.WaitForDsrAsync("1/2 server(s) answer ARP; no ARP answer from 10.99.0.55 on eth0: not on this L2 segment", TimeSpan.FromSeconds(15));
        var show = await lab.CliAsync("show lb vserver");
        Assert.Contains("cannot serve on nosuch0: interface nosuch0 does not exist", show);
        Assert.Contains("VIP 10.99.0.102 is an address of this host (lo): the kernel would answer for it too", show);
        Assert.Contains("no interface of this host has an IPv4 subnet holding 192.0.2.1: name the interface facing the real servers with -dsrInterface", show);

        // Traffic to the half-resolved vserver still flows, to the server that answers.
        var answers = await lab.RequestAsync(Enumerable.Range(48001, 10));
        Assert.All(answers.Values, a => Assert.Equal("rs1", a));
    }

    [SkippableFact]
    public async Task Without_cap_net_raw_portico_says_dsr_needs_it()
    {
        DsrLab.SkipUnlessAvailable();
        await using var lab = await DsrLab.CreateAsync(realServers: 1);
        var config = Path.Combine(lab.Dir, "portico.conf");
        await File.WriteAllTextAsync(config, DsrConfig.For(1));

        // Root without CAP_NET_RAW in its bounding set: exactly what a service unit without the capability gets.
        var portico = lab.StartIn("lb", "setpriv", "--bounding-set=-net_raw", "--inh-caps=-net_raw", "dotnet", Portico.Testing.PorticoProcess.Dll,
            "run", "--config", config, "--admin-socket", lab.AdminSocket);
        Assert.True(await portico.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(60)), portico.Output);
        Assert.Contains("permission denied. DSR needs root or CAP_NET_RAW", await lab.CliAsync("show lb vserver web_dsr"));
    }
}
