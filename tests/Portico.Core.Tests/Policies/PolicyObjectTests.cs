using System.Net;
using Portico.Testing;

namespace Portico.Core.Tests.Policies;

/// <summary>Pattern sets and named expressions used by real rules, changed while traffic flows.</summary>
public sealed class PolicyObjectTests : IAsyncLifetime
{
    private TestHttpServer _backend = null!;

    public async Task InitializeAsync() => _backend = await TestHttpServer.StartAsync("b1");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<PorticoHost> StartAsync() => PorticoHost.StartAsync($"""
        add service s1 127.0.0.1 HTTP {_backend.Port}
        add lb vserver web HTTP 127.0.0.1 {Ports.Free()}
        bind lb vserver web s1
        add policy patset blocked_paths
        bind policy patset blocked_paths /wp-login.php -index 2
        bind policy patset blocked_paths /xmlrpc.php -index 1
        add policy expression is_get "HTTP.REQ.METHOD.EQ(GET)"
        add policy expression blocked_get "is_get && HTTP.REQ.URL.PATH.CONTAINS_ANY(\"blocked_paths\")"
        add responder action deny respondwith "\"blocked\"" -responseStatusCode 403
        add responder policy block blocked_get deny
        bind lb vserver web -policyName block -priority 10
        """);

    private static async Task<HttpStatusCode> StatusAsync(PorticoHost host, string path)
    {
        using var client = new HttpClient();
        using var response = await client.GetAsync($"http://{host.EndPointOf("web")}{path}");
        return response.StatusCode;
    }

    [Fact]
    public async Task A_pattern_set_blocks_its_paths_and_a_new_pattern_applies_to_the_next_request()
    {
        await using var host = await StartAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, "/wp-login.php"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, "/blog/xmlrpc.php"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, "/.env"));
        await host.MustApplyAsync("bind policy patset blocked_paths /.env");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, "/.env"));
        await host.MustApplyAsync("unbind policy patset blocked_paths /wp-login.php");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, "/wp-login.php"));

        var shown = (await host.MustApplyAsync("show policy patset blocked_paths")).Describe();
        Assert.True(shown.IndexOf("/xmlrpc.php", StringComparison.Ordinal) < shown.IndexOf("/.env", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Changing_a_named_expression_changes_every_rule_that_uses_it()
    {
        await using var host = await StartAsync();
        await host.MustApplyAsync("set policy expression is_get \"HTTP.REQ.METHOD.EQ(HEAD)\"");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, "/wp-login.php"));
    }

    [Theory]
    [InlineData("rm policy patset blocked_paths", "policy patset 'blocked_paths' is used by responder policy block")]
    [InlineData("rm policy expression is_get", "policy expression 'is_get' is used by responder policy block")]
    [InlineData("set policy expression is_get \"HTTP.REQ.URL\"", "responder policy block no longer compiles with this value")]
    [InlineData("add policy expression HTTP TRUE", "'HTTP' is a word of the expression language")]
    [InlineData("add policy expression e2 \"HTTP.REQ.URL.EQ(\"", "expression column 17")]
    [InlineData("bind policy patset blocked_paths /xmlrpc.php", "'/xmlrpc.php' is already in policy patset 'blocked_paths'")]
    [InlineData("bind policy patset blocked_paths /x -index 1", "index 1 is taken")]
    [InlineData("add responder policy p2 \"HTTP.REQ.URL.CONTAINS_ANY(\\\"nosuch\\\")\" NOOP", "no policy patset 'nosuch'")]
    public async Task Removing_or_changing_what_a_rule_needs_is_refused(string batch, string message)
    {
        await using var host = await StartAsync();
        var result = await host.ApplyAsync(batch);
        Assert.False(result.Applied);
        Assert.Contains(message, Assert.Single(result.Errors).ToString());
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, "/wp-login.php"));
    }

    [Fact]
    public async Task Save_config_writes_sets_and_expressions_before_the_policies_that_use_them()
    {
        string text;
        await using (var host = await StartAsync())
        {
            text = Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
        }

        Assert.Contains("add policy patset blocked_paths\nbind policy patset blocked_paths /wp-login.php -index 2\nbind policy patset blocked_paths /xmlrpc.php -index 1\n", text);
        Assert.Contains("add policy expression blocked_get \"is_get && HTTP.REQ.URL.PATH.CONTAINS_ANY(\\\"blocked_paths\\\")\"", text);
        Assert.True(text.IndexOf("add policy expression is_get", StringComparison.Ordinal) < text.IndexOf("add policy expression blocked_get", StringComparison.Ordinal));
        Assert.True(text.IndexOf("add policy expression", StringComparison.Ordinal) < text.IndexOf("add responder policy", StringComparison.Ordinal));
        await using var again = await PorticoHost.StartAsync(text);
        Assert.Equal(text, Portico.Configuration.ConfigWriter.Write(again.Engine.Store.Current, DateTimeOffset.UnixEpoch));
    }
}
