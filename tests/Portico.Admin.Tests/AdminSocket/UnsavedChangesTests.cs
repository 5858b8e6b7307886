using Portico.Admin.AdminSocket;
using Portico.Testing;

namespace Portico.Admin.Tests.AdminSocket;

/// <summary>
/// The admin socket's answer says when a batch failed (exit status of <c>portico cli -c</c>) and whether the
/// running config has changed since the last save; <c>reload</c> does not silently throw unsaved changes away.
/// </summary>
public class UnsavedChangesTests
{
    [Fact]
    public async Task A_line_kept_but_not_supported_fails_the_batch_while_the_rest_applies()
    {
        await using var host = await PorticoHost.StartAsync("");
        using var client = AdminClient.Connect(host.AdminSocket);
        var response = await client.ApplyAsync("add server s1 10.0.0.1\nadd vpn vserver c1 SSL 10.0.0.1 443");
        Assert.False(response.Ok);
        Assert.Contains("line 2: 'add vpn vserver' is not supported by Portico", response.Output);
        Assert.Single(host.Engine.Store.Current.Servers);
    }

    [Fact]
    public async Task A_line_that_only_tunes_a_NetScaler_built_in_object_does_not_fail_the_batch()
    {
        await using var host = await PorticoHost.StartAsync("");
        using var client = AdminClient.Connect(host.AdminSocket);
        var response = await client.ApplyAsync("enable ns feature LB SSL\nset lb monitor http2direct HTTP2 -interval 10");
        Assert.True(response.Ok, response.Output);
    }

    [Fact]
    public async Task Every_answer_carries_the_changed_since_last_save_flag()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portico.conf");
        await using var host = await PorticoHost.StartAsync("add server s1 10.0.0.1\n", path);
        using var client = AdminClient.Connect(host.AdminSocket);
        Assert.False((await client.ApplyAsync("show server")).Unsaved);
        Assert.True((await client.ApplyAsync("add server s2 10.0.0.2")).Unsaved);
        Assert.False((await client.ApplyAsync("save ns config")).Unsaved);
    }

    [Fact]
    public async Task Reload_refuses_to_discard_unsaved_changes_unless_forced()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portico.conf");
        await using var host = await PorticoHost.StartAsync("add server s1 10.0.0.1\n", path);
        using var client = AdminClient.Connect(host.AdminSocket);
        Assert.True((await client.ApplyAsync("add server s2 10.0.0.2")).Ok);

        var refused = await client.SendAsync(new AdminRequest("reload", null));
        Assert.False(refused.Ok);
        Assert.True(refused.Unsaved);
        Assert.Contains($"not reloaded: the running config has 1 change(s) not saved to {path}", refused.Output);
        Assert.Contains("'portico reload --force'", refused.Output);
        Assert.Equal(2, host.Engine.Store.Current.Servers.Length);

        var forced = await client.SendAsync(new AdminRequest("reload", null, Force: true));
        Assert.True(forced.Ok, forced.Output);
        Assert.False(forced.Unsaved);
        Assert.Equal(["s1"], host.Engine.Store.Current.Servers.Select(s => s.Name));
    }

    [Fact]
    public async Task Reload_after_a_save_goes_ahead_without_force()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portico.conf");
        await using var host = await PorticoHost.StartAsync("add server s1 10.0.0.1\n", path);
        using var client = AdminClient.Connect(host.AdminSocket);
        Assert.True((await client.ApplyAsync("add server s2 10.0.0.2\nsave ns config")).Ok);
        var reloaded = await client.SendAsync(new AdminRequest("reload", null));
        Assert.True(reloaded.Ok, reloaded.Output);
        Assert.Equal(2, host.Engine.Store.Current.Servers.Length);
    }
}
