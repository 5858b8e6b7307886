using System.Net;
using Portico.Rewrite.Commands;
using Portico.Testing;

namespace Portico.Core.Tests.Rewrite;

/// <summary>Rewrite policies changing heads, seen at a recording backend and by the client.</summary>
public sealed class RewriteTests : IAsyncLifetime
{
    private TestHttpServer _backend = null!;

    public async Task InitializeAsync() => _backend = await TestHttpServer.StartAsync("b1");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<PorticoHost> StartAsync(string extra) => PorticoHost.StartAsync($"""
        add service s1 127.0.0.1 HTTP {_backend.Port}
        add lb vserver web HTTP 127.0.0.1 {Ports.Free()}
        bind lb vserver web s1
        {extra}
        """);

    /// <summary>The headers the backend received, by name (lower case).</summary>
    private static async Task<Dictionary<string, string>> SeenAsync(PorticoHost host, Action<HttpRequestMessage>? prepare = null)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{host.EndPointOf("web")}/headers");
        prepare?.Invoke(request);
        using var response = await client.SendAsync(request);
        return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(": ", 2)).GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => string.Join(",", g.Select(kv => kv[1])));
    }

    [Fact]
    public async Task Request_headers_are_inserted_deleted_and_replaced_as_the_backend_sees_them()
    {
        // The ns1 config's own action, with a real rule around it.
        await using var host = await StartAsync("""
            add rewrite action app2_rewrite_pol insert_http_header app2header "HTTP.REQ.HEADER(\"app2header\").CONTAINS(\"somestring\")"
            add rewrite policy app2_rewrite_policy HTTP.REQ.IS_VALID app2_rewrite_pol
            add rewrite action client_ip insert_http_header X-Client "\"ip=\" + CLIENT.IP.SRC"
            add rewrite policy add_client TRUE client_ip
            add rewrite action strip delete_http_header X-Internal
            add rewrite policy strip_internal "HTTP.REQ.HEADER(\"X-Internal\").EXISTS" strip
            add rewrite action ua replace "HTTP.REQ.HEADER(\"User-Agent\")" "\"portico-\" + HTTP.REQ.HEADER(\"User-Agent\").TO_LOWER"
            add rewrite policy normalise_ua TRUE ua
            bind lb vserver web -policyName app2_rewrite_policy -priority 10 -gotoPriorityExpression NEXT -type REQUEST
            bind lb vserver web -policyName add_client -priority 20 -gotoPriorityExpression NEXT
            bind lb vserver web -policyName strip_internal -priority 30 -gotoPriorityExpression NEXT
            bind lb vserver web -policyName normalise_ua -priority 40
            """);
        var seen = await SeenAsync(host, r =>
        {
            r.Headers.Add("X-Internal", "secret");
            r.Headers.Add("User-Agent", "Curl/8");
        });
        Assert.Equal("FALSE", seen["app2header"]);
        Assert.Equal("ip=127.0.0.1", seen["x-client"]);
        Assert.False(seen.ContainsKey("x-internal"));
        Assert.Equal("portico-curl/8", seen["user-agent"]);

        var stats = (RewritePolicyStats)(await host.MustApplyAsync("stat rewrite policy")).Results.Single();
        Assert.All(stats.Policies.Where(p => p.Name != "strip_internal"), p => Assert.Equal(1, p.Hits));
    }

    [Fact]
    public async Task END_stops_the_bank_and_NEXT_goes_on()
    {
        await using var host = await StartAsync("""
            add rewrite action a1 insert_http_header X-One "\"1\""
            add rewrite action a2 insert_http_header X-Two "\"2\""
            add rewrite policy p1 TRUE a1
            add rewrite policy p2 TRUE a2
            bind lb vserver web -policyName p1 -priority 10 -gotoPriorityExpression END
            bind lb vserver web -policyName p2 -priority 20
            """);
        var seen = await SeenAsync(host);
        Assert.Equal("1", seen["x-one"]);
        Assert.False(seen.ContainsKey("x-two"));
        await host.MustApplyAsync("unbind lb vserver web -policyName p1\nbind lb vserver web -policyName p1 -priority 10 -gotoPriorityExpression NEXT");
        seen = await SeenAsync(host);
        Assert.Equal(("1", "2"), (seen["x-one"], seen["x-two"]));
    }

    [Fact]
    public async Task The_URL_is_rewritten_before_it_reaches_the_member()
    {
        await using var host = await StartAsync("""
            add rewrite action old_api replace HTTP.REQ.URL.PATH "\"/v2\" + HTTP.REQ.URL.PATH.AFTER_STR(\"/v1\")"
            add rewrite policy move_api "HTTP.REQ.URL.PATH.STARTSWITH(\"/v1/\")" old_api
            add rewrite action no_debug replace_all HTTP.REQ.URL.QUERY "\"x\"" -search text("debug")
            add rewrite policy strip_debug "HTTP.REQ.URL.QUERY.CONTAINS(\"debug\")" no_debug
            bind rewrite global move_api 10 NEXT
            bind rewrite global strip_debug 20
            """);
        using var client = new HttpClient();
        using var response = await client.GetAsync($"http://{host.EndPointOf("web")}/v1/users?id=3&debug=1");
        Assert.Equal("/v2/users?id=3&x=1", response.Headers.GetValues("X-Request-Target").Single());
        using var other = await client.GetAsync($"http://{host.EndPointOf("web")}/static/a.css");
        Assert.Equal("/static/a.css", other.Headers.GetValues("X-Request-Target").Single());
    }

    [Fact]
    public async Task Response_headers_are_rewritten_by_status_and_the_request_is_still_readable()
    {
        await using var host = await StartAsync("""
            add rewrite action hide_server delete_http_header X-Backend
            add rewrite policy hide TRUE hide_server
            add rewrite action mark insert_http_header X-Was "HTTP.REQ.URL + \" -> \" + HTTP.RES.STATUS"
            add rewrite policy mark_errors "HTTP.RES.STATUS.GE(400)" mark
            bind lb vserver web -policyName hide -priority 10 -gotoPriorityExpression NEXT -type RESPONSE
            bind lb vserver web -policyName mark_errors -priority 20 -type RESPONSE
            """);
        using var client = new HttpClient();
        using var ok = await client.GetAsync($"http://{host.EndPointOf("web")}/");
        Assert.False(ok.Headers.Contains("X-Backend"));
        Assert.False(ok.Headers.Contains("X-Was"));
        using var missing = await client.GetAsync($"http://{host.EndPointOf("web")}/status/404");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("/status/404 -> 404", missing.Headers.GetValues("X-Was").Single());

        // A request with a body leaves the input before the response arrives: its URL is still read right.
        using var posted = await client.PostAsync($"http://{host.EndPointOf("web")}/status/500", new StringContent(new string('x', 100_000)));
        Assert.Equal("/status/500 -> 500", posted.Headers.GetValues("X-Was").Single());
    }

    [Fact]
    public async Task A_value_from_the_client_cannot_inject_a_field()
    {
        await using var host = await StartAsync("""
            add rewrite action copy insert_http_header X-Copy "HTTP.REQ.HEADER(\"X-In\")"
            add rewrite policy copy_in TRUE copy
            bind lb vserver web -policyName copy_in -priority 1
            """);
        var seen = await SeenAsync(host, r => r.Headers.TryAddWithoutValidation("X-In", "a\tb"));
        Assert.Equal("a%09b", seen["x-copy"]);
    }

    [Theory]
    [InlineData("add rewrite action a insert_http_header Content-Length \"\\\"0\\\"\"", "written by Portico itself")]
    [InlineData("add rewrite action a delete_http_header Transfer-Encoding", "written by Portico itself")]
    [InlineData("add rewrite action a insert_http_header \"Bad Name\" \"\\\"x\\\"\"", "is not a header field name")]
    [InlineData("add rewrite action a insert_http_header X-A", "needs a value expression")]
    [InlineData("add rewrite action a replace_all HTTP.REQ.URL \"\\\"x\\\"\"", "replace_all needs -search")]
    [InlineData("add rewrite action a replace HTTP.REQ.URLX \"\\\"x\\\"\"", "expression column 10")]
    [InlineData("add rewrite action a insert_http_header X-A \"HTTP.REQ.URL.EQ(\"", "expression column 17")]
    [InlineData("add rewrite policy p TRUE nosuch", "no rewrite action named 'nosuch'")]
    [InlineData("add rewrite policy p TRUE NOREWRITE MAYBE", "expected NOREWRITE, RESET or DROP")]
    [InlineData("add rewrite action a insert_http_header X-S \"HTTP.RES.STATUS\"\nadd rewrite policy p TRUE a\nbind lb vserver web -policyName p -priority 1", "bind it with -type RESPONSE")]
    [InlineData("add rewrite policy p TRUE NOREWRITE\nbind rewrite global p 1 -type OVERRIDE", "expected REQ_OVERRIDE, REQ_DEFAULT, RES_OVERRIDE or RES_DEFAULT")]
    public async Task Bad_lines_are_refused_with_their_reason_and_change_nothing(string batch, string message)
    {
        await using var host = await StartAsync("");
        var result = await host.ApplyAsync(batch);
        Assert.False(result.Applied);
        Assert.Contains(message, Assert.Single(result.Errors).ToString());
    }

    [Theory]
    [InlineData("add rewrite action a replace \"HTTP.REQ.BODY(100)\" \"\\\"x\\\"\"", "HTTP.REQ.BODY")]
    [InlineData("add rewrite action a replace HTTP.RES.STATUS \"\\\"x\\\"\"", "rewriting HTTP.RES.STATUS is not supported")]
    public async Task Targets_Portico_cannot_change_are_kept_unsupported_by_name(string line, string reason)
    {
        await using var host = await StartAsync("");
        var result = await host.ApplyAsync(line);
        Assert.Contains(reason, Assert.Single(result.Unsupported).Reason);
    }

    [Fact]
    public async Task Save_config_writes_actions_policies_and_binds_back()
    {
        string text;
        await using (var host = await StartAsync("""
            add rewrite action a1 replace_all HTTP.REQ.URL "\"/\"" -search regex(re#/+#) -comment squash
            add rewrite action a2 insert_http_header X-A "\"v\""
            add rewrite policy p1 "HTTP.REQ.URL.CONTAINS(\"//\")" a1 RESET -comment one
            add rewrite policy p2 TRUE a2
            bind lb vserver web -policyName p1 -priority 5 -gotoPriorityExpression NEXT -type REQUEST
            bind rewrite global p2 100 END -type RES_DEFAULT
            """))
        {
            text = Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
        }

        Assert.Contains("add rewrite action a1 replace_all HTTP.REQ.URL \"\\\"/\\\"\" -search regex(re#/+#) -comment squash", text);
        Assert.Contains("add rewrite policy p1 \"HTTP.REQ.URL.CONTAINS(\\\"//\\\")\" a1 RESET -comment one", text);
        Assert.Contains("bind rewrite global p2 100 END -type RES_DEFAULT", text);
        await using var again = await PorticoHost.StartAsync(text);
        Assert.Equal(text, Portico.Configuration.ConfigWriter.Write(again.Engine.Store.Current, DateTimeOffset.UnixEpoch));
    }
}
