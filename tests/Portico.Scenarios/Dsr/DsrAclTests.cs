using Portico.Scenarios.Lab;

namespace Portico.Scenarios.Dsr;

/// <summary>
/// ACLs on the DSR path: the first packet of a flow is checked (simple ACLs, then extended), a denied flow's
/// frames are dropped and counted, <c>apply ns acls</c> cuts established flows that a new DENY covers, and a
/// removed rule lets the same flow through again.
/// </summary>
public class DsrAclTests
{
    [SkippableFact]
    public async Task Acls_decide_on_the_first_packet_of_each_flow_and_apply_cuts_established_ones()
    {
        DsrLab.SkipUnlessAvailable();
        await using var lab = await DsrLab.CreateAsync(realServers: 1);
        await lab.StartRealServerAsync(1);
        await lab.StartPorticoAsync(DsrConfig.For(1));
        await lab.WaitForDsrAsync("1/1 server(s) answer ARP", TimeSpan.FromSeconds(20));
        Assert.Equal("rs1", (await lab.RequestAsync([49001]))[49001]);

        var held = lab.StartIn("client", "python3", DsrLab.Script("dsr-client.py"), DsrLab.Vip, "80", "hold", "49003");
        Assert.True(await held.WaitForOutputAsync("held", TimeSpan.FromSeconds(20)), held.Output);
        Assert.Equal("rs1", DsrLab.Parse(held.Output)[49003]);

        // A simple ACL: the client's new flows are dropped at their first packet.
        await lab.CliAsync($"add ns simpleacl blk DENY -srcIP {DsrLab.Address("client")} -destPort 80 -protocol TCP");
        Assert.Equal("unreachable", (await lab.RequestAsync([49002]))[49002]);
        Assert.Matches(@"web_dsr\s+\S+\s+TCP\s+\S+\s+\d+\s+\d+\s+\d+\s+[1-9]", await lab.CliAsync("show dsr web_dsr"));
        Assert.Matches(@"web_dsr\s+UP(\s+\d+){6}\s+[1-9]", await lab.CliAsync("stat lb vserver web_dsr"));

        // An extended ACL applied: the established flow is cut, as an L4 connection would be reset.
        await lab.CliAsync($"add ns acl no_client DENY -srcIP {DsrLab.Address("client")} -destPort 80 -protocol TCP");
        await lab.CliAsync("apply ns acls");
        await held.Input.WriteLineAsync("go");
        await held.Input.FlushAsync();
        await held.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.EndsWith("49003 reset", held.Output.Trim());

        // Rules gone: the very flow that was denied (same 5-tuple) is let through on its next first packet.
        await lab.CliAsync("rm ns simpleacl blk");
        await lab.CliAsync("rm ns acl no_client");
        await lab.CliAsync("apply ns acls");
        Assert.Equal("rs1", (await lab.RequestAsync([49002]))[49002]);
    }
}
