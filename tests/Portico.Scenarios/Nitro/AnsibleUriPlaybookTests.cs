using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portico.Admin;
using Portico.Admin.AdminSocket;
using Portico.Admin.Metrics;
using Portico.Scenarios.Http;
using Portico.Testing;

namespace Portico.Scenarios.Nitro;

/// <summary>
/// Debian's ansible runs a playbook that drives NITRO with ansible.builtin.uri (what operators write without a
/// NetScaler collection): a login session, GET before POST for servers, a monitor, services, bindings and a vserver,
/// the vserver's stat, a save by handler. A second run changes nothing; the vserver then balances real connections
/// over both members and the CLI's <c>show lb vserver</c> says what the playbook built.
/// </summary>
public sealed partial class AnsibleUriPlaybookTests
{
    private const string AnsiblePlaybook = "/usr/bin/ansible-playbook";

    [Fact]
    public async Task A_uri_playbook_builds_a_farm_that_balances_and_a_second_run_changes_nothing()
    {
        InteropTools.Require(AnsiblePlaybook, "ansible");
        var dir = Directory.CreateTempSubdirectory("portico-ansible-uri-").FullName;
        var config = Path.Combine(dir, "portico.conf");
        await using var rs1 = TestTcpServer.Start("rs1");
        await using var rs2 = TestTcpServer.Start("rs2");
        var vipPort = Ports.Free();
        await using var host = await PorticoHost.StartAsync("", config, s => s.AddPorticoAdminHttp(AdminHttpOptions.Parse("127.0.0.1:0", allowRemote: false)));
        await host.MustApplyAsync("add system user automation 'automation password'\nbind system user automation -policyName superuser 0");
        var endpoint = host.Services.GetRequiredService<AdminHttpServer>().EndPoint!;
        string[] args = ["-i", "localhost,", "-c", "local", Path.Combine(AppContext.BaseDirectory, "Nitro", "uri-playbook.yml"),
            "-e", $"nsip={endpoint}", "-e", "user=automation", "-e", "password='automation password'",
            "-e", $"rs1_port={rs1.Port}", "-e", $"rs2_port={rs2.Port}", "-e", $"vip_port={vipPort}"];

        var first = await InteropTools.RunAsync(AnsiblePlaybook, args, timeouts: 6);
        Assert.True(first.Code == 0, InteropTools.Describe(first.Code, first.Output, first.Error));
        // Tasks that changed something (a loop counts once): servers, monitor, services, monitor bindings, vserver,
        // vserver bindings, and the save handler.
        Assert.Equal(7, Changed(first.Output));
        var saved = await File.ReadAllTextAsync(config);
        Assert.Contains($"add lb vserver web TCP 127.0.0.1 {vipPort}", saved, StringComparison.Ordinal);
        Assert.Contains("bind lb vserver web svc-rs2", saved, StringComparison.Ordinal);

        var second = await InteropTools.RunAsync(AnsiblePlaybook, args, timeouts: 6);
        Assert.True(second.Code == 0, InteropTools.Describe(second.Code, second.Output, second.Error));
        Assert.Equal(0, Changed(second.Output));

        // Round robin over two members that the TCP monitor finds UP: four connections reach both.
        var vip = new IPEndPoint(IPAddress.Loopback, vipPort);
        Assert.True(await Eventually.TrueAsync(() => host.Engine.Runtime.Services.TryGetValue("svc-rs1", out var a) && a.StateWord == "UP"
            && host.Engine.Runtime.Services.TryGetValue("svc-rs2", out var b) && b.StateWord == "UP", Eventually.Timeout));
        var answered = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            answered.Add(await TestClient.WhoAnswersAsync(vip));
        }

        Assert.Equal(["rs1", "rs2"], answered.Distinct().Order());
        var shown = await ShowAsync(host, "show lb vserver web");
        Assert.Contains("svc-rs1", shown, StringComparison.Ordinal);
        Assert.Contains("svc-rs2", shown, StringComparison.Ordinal);
        Assert.Contains("ROUNDROBIN", shown, StringComparison.Ordinal);
        Assert.Contains("automation from nitro 127.0.0.1: add lb vserver web", await ShowAsync(host, "show audit -user automation"), StringComparison.Ordinal);
    }

    /// <summary>What the operator runs: the CLI over the admin socket.</summary>
    private static async Task<string> ShowAsync(PorticoHost host, string command)
    {
        using var client = AdminClient.Connect(host.AdminSocket);
        var response = await client.ApplyAsync(command);
        Assert.True(response.Ok, response.Output);
        return response.Output;
    }

    private static int Changed(string output) => int.Parse(Recap().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"localhost\s*:\s*ok=\d+\s+changed=(\d+)")]
    private static partial Regex Recap();
}
