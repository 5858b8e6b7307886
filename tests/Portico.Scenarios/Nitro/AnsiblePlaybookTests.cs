using Microsoft.Extensions.DependencyInjection;
using Portico.Admin;
using Portico.Admin.Metrics;
using Portico.Scenarios.Http;
using Portico.Testing;

namespace Portico.Scenarios.Nitro;

/// <summary>
/// Debian's ansible drives Portico through NITRO with a playbook written for a NetScaler (community.network's
/// netscaler_nitro_request): add, get, filter, count, bind, disable, an expected 273, unbind by args, delete, save.
/// Then the saved file and the audit trail are checked.
/// </summary>
public sealed class AnsiblePlaybookTests
{
    private const string AnsiblePlaybook = "/usr/bin/ansible-playbook";

    [Fact]
    public async Task A_netscaler_style_playbook_adds_gets_binds_disables_deletes_and_saves()
    {
        InteropTools.Require(AnsiblePlaybook, "ansible");
        var dir = Directory.CreateTempSubdirectory("portico-ansible-").FullName;
        var config = Path.Combine(dir, "portico.conf");
        await using var host = await PorticoHost.StartAsync("", config, s => s.AddPorticoAdminHttp(AdminHttpOptions.Parse("127.0.0.1:0", allowRemote: false)));
        await host.MustApplyAsync("add system user automation 'automation password'\nbind system user automation -policyName superuser 0");
        var endpoint = host.Services.GetRequiredService<AdminHttpServer>().EndPoint!;

        var playbook = Path.Combine(AppContext.BaseDirectory, "Nitro", "playbook.yml");
        var (code, output, error) = await InteropTools.RunAsync(AnsiblePlaybook,
            ["-i", "localhost,", "-c", "local", playbook, "-e", $"nsip={endpoint}", "-e", "user=automation", "-e", "password='automation password'"], timeouts: 6);
        Assert.True(code == 0, InteropTools.Describe(code, output, error));

        var saved = await File.ReadAllTextAsync(config);
        Assert.Contains("add lb vserver web HTTP 127.0.0.1 18090", saved, StringComparison.Ordinal);
        Assert.Contains("-state DISABLED", saved.Split('\n').Single(l => l.StartsWith("add lb vserver web ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("bind lb vserver web s1", saved, StringComparison.Ordinal);
        Assert.DoesNotContain("lb vserver api", saved, StringComparison.Ordinal);
        Assert.DoesNotContain("automation password", saved, StringComparison.Ordinal);
        Assert.Contains("automation from nitro 127.0.0.1: add lb vserver api", string.Concat((await host.ApplyAsync("show audit")).Output), StringComparison.Ordinal);
    }
}
