using Portico.Testing;

namespace Portico.Core.Tests.Appliance;

/// <summary><c>show ns version|config|hardware|feature|license</c>: the first questions an operator asks, answered (they used to parse as <c>show nstrace</c>).</summary>
public class NsSystemCommandsTests
{
    private static async Task<string> ShowAsync(PorticoHost host, string command)
    {
        var result = await host.MustApplyAsync(command);
        Assert.False(result.Output.Any(o => o.StartsWith("ERROR: ", StringComparison.Ordinal)), result.Describe());
        return string.Concat(result.Output);
    }

    [Fact]
    public async Task Show_ns_version_names_Portico_its_build_and_runtime()
    {
        await using var host = await PorticoHost.StartAsync("");
        var text = await ShowAsync(host, "show ns version");
        Assert.Matches(@"^\tPortico \d+\.\d+\.\d+[^:]*: Build \S+, Date: ", text);
        Assert.Contains($".NET {Environment.Version}", text);

        // The abbreviation an operator types still finds it.
        Assert.Contains("Portico ", await ShowAsync(host, "sh ns vers"));
    }

    [Fact]
    public async Task Show_ns_config_says_whether_the_running_config_changed_since_the_last_save()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portico.conf");
        await using var host = await PorticoHost.StartAsync("add server s1 10.0.0.1\n", path);

        var fresh = await ShowAsync(host, "show ns config");
        Assert.Contains($"Config file: {path}", fresh);
        Assert.Contains("Config changed since last save: NO", fresh);

        await host.MustApplyAsync("add server s2 10.0.0.2");
        await host.MustApplyAsync("rm server s2");
        Assert.Contains("Config changed since last save: YES (2 change(s)", await ShowAsync(host, "show ns config"));

        // Queries change nothing; a save makes the file and the running config the same again.
        await ShowAsync(host, "show server");
        Assert.Contains("YES (2 change(s)", await ShowAsync(host, "show ns config"));
        await host.MustApplyAsync("save ns config");
        Assert.Contains("Config changed since last save: NO", await ShowAsync(host, "show ns config"));
    }

    [Fact]
    public async Task Show_ns_config_on_the_embedded_config_says_there_is_no_file()
    {
        await using var host = await PorticoHost.StartAsync("add server s1 10.0.0.1\n");
        await host.MustApplyAsync("add server s2 10.0.0.2");
        var text = await ShowAsync(host, "show ns config");
        Assert.Contains("Config file: none", text);
        Assert.Contains("Config changed since last save: -", text);
    }

    [Fact]
    public async Task Show_ns_config_names_the_nsip_and_counts_the_snips()
    {
        await using var host = await PorticoHost.StartAsync("add ns ip 192.0.2.5 255.255.255.0 -type NSIP\nadd ns ip 192.0.2.6 255.255.255.0\nadd ns ip 192.0.2.7 255.255.255.0\n");
        var text = await ShowAsync(host, "show ns config");
        Assert.Contains("NetScaler IP (NSIP): 192.0.2.5 (mask: 255.255.255.0)", text);
        Assert.Contains("Subnet IPs (SNIP): 2", text);
    }

    [Fact]
    public async Task Show_ns_feature_and_license_say_which_NetScaler_features_Portico_has()
    {
        await using var host = await PorticoHost.StartAsync("");
        var features = (await ShowAsync(host, "show ns feature")).Split('\n');
        Assert.Contains(features, l => l.Contains("Load Balancing", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" ON", StringComparison.Ordinal));
        Assert.Contains(features, l => l.Contains("SSL Offloading", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" ON", StringComparison.Ordinal));
        Assert.Contains(features, l => l.Contains("Surge Protection", StringComparison.Ordinal) && l.Contains("OFF (not in Portico)", StringComparison.Ordinal));

        var license = await ShowAsync(host, "show ns license");
        Assert.Matches(@"Load Balancing:\s+YES", license);
        Assert.Matches(@"Surge Protection:\s+NO", license);
        Assert.Contains("License Type: none needed", license);
    }

    [Fact]
    public async Task Enable_ns_feature_lines_of_a_saved_ns_conf_are_kept_without_effect()
    {
        await using var host = await PorticoHost.StartAsync("");
        var result = await host.MustApplyAsync("enable ns feature WL SP LB CS SSL");
        var kept = Assert.Single(result.Unsupported);
        Assert.True(kept.WithoutEffect, kept.Reason);
        Assert.Contains("always on", kept.Reason);
    }

    [Fact]
    public async Task Show_ns_hardware_describes_the_host()
    {
        await using var host = await PorticoHost.StartAsync("");
        var text = await ShowAsync(host, "show ns hardware");
        Assert.Contains($"{Environment.ProcessorCount} core(s)", text);
        Assert.Contains($"Host name: {Environment.MachineName}", text);
        Assert.Matches(@"Memory: \d+ MiB", text);
    }

    [Fact]
    public async Task Show_ns_ip_of_an_address_not_configured_fails_naming_it()
    {
        await using var host = await PorticoHost.StartAsync("add ns ip 192.0.2.5 255.255.255.0\n");
        var result = await host.MustApplyAsync("show ns ip 192.0.2.9");
        Assert.Equal("ERROR: line 1, column 12: '192.0.2.9': 192.0.2.9 is not configured (show ns ip lists the owned addresses)", Assert.Single(result.Output));
    }
}
