using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Portico.ContentSwitching.Commands;
using Portico.Responder.Commands;
using Portico.Rewrite.Commands;
using Portico.Testing;

namespace Portico.Core.Tests.Policies;

/// <summary>
/// Content switching, responder and rewrite for HTTP/2 clients of SSL vservers: what the HTTP/1.1 tests show, over
/// real HTTP/2 (ALPN h2, HttpClient with RequestVersionExact), real TLS and real backends.
/// </summary>
public sealed class Http2PolicyTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-h2-policies-").FullName;
    private TestHttpServer _api = null!;
    private TestHttpServer _www = null!;
    private TestHttpServer _web = null!;
    private (string CertPath, string KeyPath, X509Certificate2 Certificate) _cert;

    public async Task InitializeAsync()
    {
        _api = await TestHttpServer.StartAsync("api");
        _www = await TestHttpServer.StartAsync("www");
        _web = await TestHttpServer.StartAsync("web");
        _cert = TestCertificates.Create(_dir, "site", "www.example.test", "api.example.test", "shop.example.test");
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _www.DisposeAsync();
        await _web.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>An SSL lb vserver <c>web</c> and an SSL cs vserver <c>front</c> switching to lb-api and lb-www, else web.</summary>
    private Task<PorticoHost> StartAsync(string extra) => PorticoHost.StartAsync($"""
        add service api1 127.0.0.1 HTTP {_api.Port}
        add service www1 127.0.0.1 HTTP {_www.Port}
        add service web1 127.0.0.1 HTTP {_web.Port}
        add lb vserver lb-api HTTP 0.0.0.0 0
        add lb vserver lb-www HTTP 0.0.0.0 0
        add lb vserver web SSL 127.0.0.1 {Ports.Free()}
        bind lb vserver lb-api api1
        bind lb vserver lb-www www1
        bind lb vserver web web1
        add cs vserver front SSL 127.0.0.1 {Ports.Free()}
        add ssl certKey site -cert {_cert.CertPath} -key {_cert.KeyPath}
        bind ssl vserver web -certkeyName site
        bind ssl vserver front -certkeyName site
        add cs action to-api -targetLBVserver lb-api
        add cs policy is-api -rule "HTTP.REQ.URL.STARTSWITH(\"/api/\") || HTTP.REQ.HOSTNAME.EQ(\"api.example.test\")" -action to-api
        add cs policy is-www -rule "HTTP.REQ.HOSTNAME.CONTAINS(\"www\")"
        bind cs vserver front -policyName is-api -priority 100
        bind cs vserver front -policyName is-www -priority 110 -targetLBVserver lb-www
        bind cs vserver front -lbvserver web
        {extra}
        """);

    /// <summary>A client of one version only, to <paramref name="vip"/> whatever the URL's name (which is SNI and :authority).</summary>
    private HttpClient Client(IPEndPoint vip, Version version) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && new X509Certificate2(c).Thumbprint == _cert.Certificate.Thumbprint },
        ConnectCallback = async (_, ct) =>
        {
            var s = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await s.ConnectAsync(vip, ct);
            return new NetworkStream(s, ownsSocket: true);
        },
    })
    { DefaultRequestVersion = version, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

    private HttpClient H2(IPEndPoint vip) => Client(vip, HttpVersion.Version20);

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, Action<HttpRequestMessage>? prepare = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Version = client.DefaultRequestVersion, VersionPolicy = client.DefaultVersionPolicy };
        prepare?.Invoke(request);
        var response = await client.SendAsync(request);
        Assert.Equal(client.DefaultRequestVersion, response.Version);
        return response;
    }

    private static string Backend(HttpResponseMessage response) => response.Headers.GetValues("X-Backend").Single();

    [Fact]
    public async Task Http2_requests_to_an_SSL_cs_vserver_are_switched_and_counted_per_policy()
    {
        await using var host = await StartAsync("");
        var port = host.EndPointOf("front").Port;
        using var client = H2(host.EndPointOf("front"));
        foreach (var (url, expected) in new[]
        {
            ($"https://www.example.test:{port}/api/users", "api"),
            ($"https://api.example.test:{port}/", "api"),
            ($"https://www.example.test:{port}/index.html", "www"),
            ($"https://shop.example.test:{port}/x", "web"),
        })
        {
            using var response = await GetAsync(client, url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, Backend(response));
        }

        var front = Assert.Single(((CsVserverStats)(await host.MustApplyAsync("stat cs vserver front")).Results.Single()).Vservers);
        Assert.Equal(4, front.Requests);
        Assert.Equal(1, front.DefaultHits);
        Assert.Equal([("is-api", 2L), ("is-www", 1L)], front.Policies.Select(p => (p.Policy, p.Hits)));
        Assert.Equal(2, Interlocked.Read(ref host.Engine.Runtime.Vservers["lb-api"].Counters.Requests));
        Assert.Equal(1, Interlocked.Read(ref host.Engine.Runtime.Vservers["web"].Counters.Requests));
    }

    [Fact]
    public async Task Changing_a_policy_reroutes_the_next_request_on_the_same_http2_connection()
    {
        await using var host = await StartAsync("");
        var port = host.EndPointOf("front").Port;
        using var client = H2(host.EndPointOf("front"));
        using (var before = await GetAsync(client, $"https://shop.example.test:{port}/"))
        {
            Assert.Equal("web", Backend(before));
        }

        await host.MustApplyAsync("set cs policy is-www -rule \"HTTP.REQ.HOSTNAME.ENDSWITH(\\\"example.test\\\")\"");
        using var after = await GetAsync(client, $"https://shop.example.test:{port}/");
        Assert.Equal("www", Backend(after));
    }

    [Fact]
    public async Task A_goto_NEXT_lets_a_later_cs_policy_decide_and_without_a_default_the_answer_is_503()
    {
        await using var host = await StartAsync("""
            add cs policy api-v2 -rule "HTTP.REQ.URL.CONTAINS(\"/v2/\")"
            unbind cs vserver front -policyName is-api
            bind cs vserver front -policyName is-api -priority 100 -gotoPriorityExpression NEXT
            bind cs vserver front -policyName api-v2 -priority 120 -targetLBVserver lb-www
            unbind cs vserver front -lbvserver web
            """);
        var port = host.EndPointOf("front").Port;
        using var client = H2(host.EndPointOf("front"));
        using (var v1 = await GetAsync(client, $"https://shop.example.test:{port}/api/v1/"))
        {
            Assert.Equal("api", Backend(v1));
        }

        using (var v2 = await GetAsync(client, $"https://shop.example.test:{port}/api/v2/"))
        {
            Assert.Equal("www", Backend(v2));
        }

        using var none = await GetAsync(client, $"https://shop.example.test:{port}/nothing");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, none.StatusCode);
        var front = ((CsVserverStats)(await host.MustApplyAsync("stat cs vserver front")).Results.Single()).Vservers.Single();
        Assert.Equal(1, front.Unserved);
        Assert.Equal(0, _web.Requests);
    }

    [Fact]
    public async Task A_responder_redirect_answers_an_http2_client_without_asking_the_member()
    {
        await using var host = await StartAsync("""
            bind lb vserver web -policyName to_shop -priority 100 -gotoPriorityExpression END -type REQUEST
            add responder policy to_shop "HTTP.REQ.URL.EQ(\"/\")" to_shop_action
            add responder action to_shop_action redirect "\"https://\" + HTTP.REQ.HOSTNAME.HTTP_URL_SAFE + \"/shop?from=\" + HTTP.REQ.URL" -responseStatusCode 301
            """);
        var port = host.EndPointOf("web").Port;
        using var client = H2(host.EndPointOf("web"));
        using var response = await GetAsync(client, $"https://shop.example.test:{port}/");
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("https://shop.example.test/shop?from=/", response.Headers.Location!.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal(0, _web.Requests);

        using var other = await GetAsync(client, $"https://shop.example.test:{port}/page");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(1, _web.Requests);
        var stat = (ResponderPolicyStats)(await host.MustApplyAsync("stat responder policy to_shop")).Results.Single();
        Assert.Equal(1, stat.Policies.Single().Hits);
        Assert.Equal(1, Interlocked.Read(ref host.Engine.Runtime.Vservers["web"].Counters.Responded));
    }

    [Fact]
    public async Task A_global_maintenance_page_is_served_over_http2_and_lifted_on_the_same_connection()
    {
        var page = Path.Combine(_dir, "maintenance.html");
        await File.WriteAllTextAsync(page, "<html><body>Back soon</body></html>");
        await using var host = await StartAsync($"""
            import responder htmlpage {page} maint
            add responder action show_maint respondwithhtmlpage -htmlpage maint -responseStatusCode 503
            add responder policy maintenance "!CLIENT.IP.SRC.IN_SUBNET(10.99.0.0/16) && CLIENT.SSL.IS_SSL" show_maint
            bind responder global maintenance 10 END -type REQ_OVERRIDE
            """);
        var port = host.EndPointOf("front").Port;
        using var client = H2(host.EndPointOf("front"));
        using (var response = await GetAsync(client, $"https://www.example.test:{port}/anything"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            Assert.Equal("<html><body>Back soon</body></html>", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, _www.Requests);
        await host.MustApplyAsync("unbind responder global maintenance -type REQ_OVERRIDE");
        using var after = await GetAsync(client, $"https://www.example.test:{port}/anything");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("www", Backend(after));
    }

    [Fact]
    public async Task Responders_of_the_cs_vserver_run_before_switching_and_those_of_the_target_after()
    {
        await using var host = await StartAsync("""
            add responder action front_says respondwith "\"HTTP/1.1 200 OK\r\nX-Served-By: portico\r\nConnection: close\r\n\r\nfront\""
            add responder policy at_front "HTTP.REQ.URL.EQ(\"/front\")" front_says
            bind cs vserver front -policyName at_front -priority 1 -type REQUEST
            add responder action api_says respondwith "\"api says no\"" -responseStatusCode 403
            add responder policy at_api "HTTP.REQ.URL.CONTAINS(\"secret\")" api_says
            bind lb vserver lb-api -policyName at_api -priority 1
            """);
        var port = host.EndPointOf("front").Port;
        using var client = H2(host.EndPointOf("front"));
        using (var front = await GetAsync(client, $"https://shop.example.test:{port}/front"))
        {
            Assert.Equal("front", await front.Content.ReadAsStringAsync());
            Assert.Equal("portico", front.Headers.GetValues("X-Served-By").Single());
        }

        using (var denied = await GetAsync(client, $"https://shop.example.test:{port}/api/secret"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Equal("api says no", await denied.Content.ReadAsStringAsync());
        }

        using var elsewhere = await GetAsync(client, $"https://shop.example.test:{port}/secret");
        Assert.Equal("web", Backend(elsewhere));
        Assert.Equal(0, _api.Requests);
        Assert.Equal(1, Interlocked.Read(ref host.Engine.Runtime.Vservers["lb-api"].Counters.Responded));
    }

    [Fact]
    public async Task DROP_and_RESET_end_the_stream_and_the_connection_serves_the_next_request()
    {
        await using var host = await StartAsync("""
            add responder policy drop_admin "HTTP.REQ.URL.STARTSWITH(\"/admin\")" DROP
            add responder policy reset_bots "HTTP.REQ.HEADER(\"User-Agent\").CONTAINS(\"badbot\")" RESET
            bind lb vserver web -policyName drop_admin -priority 1
            bind lb vserver web -policyName reset_bots -priority 2
            """);
        var port = host.EndPointOf("web").Port;
        using var client = H2(host.EndPointOf("web"));
        var dropped = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(client, $"https://shop.example.test:{port}/admin"));
        Assert.IsType<HttpProtocolException>(dropped.InnerException);
        var reset = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(client, $"https://shop.example.test:{port}/", r => r.Headers.Add("User-Agent", "badbot/1")));
        Assert.Equal(0x8, Assert.IsType<HttpProtocolException>(reset.InnerException).ErrorCode);
        using var fine = await GetAsync(client, $"https://shop.example.test:{port}/");
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        Assert.Equal(1, _web.Requests);
    }

    /// <summary>The headers the backend received, by name (lower case).</summary>
    private static async Task<Dictionary<string, string>> SeenAsync(HttpClient client, string url, Action<HttpRequestMessage>? prepare = null)
    {
        using var response = await GetAsync(client, url, prepare);
        return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(": ", 2)).GroupBy(kv => kv[0]).ToDictionary(g => g.Key, g => string.Join(",", g.Select(kv => kv[1])));
    }

    [Fact]
    public async Task Request_headers_are_inserted_deleted_and_replaced_as_the_backend_sees_them()
    {
        await using var host = await StartAsync("""
            add rewrite action client_ip insert_http_header X-Client "\"ip=\" + CLIENT.IP.SRC"
            add rewrite policy add_client TRUE client_ip
            add rewrite action strip delete_http_header X-Internal
            add rewrite policy strip_internal "HTTP.REQ.HEADER(\"X-Internal\").EXISTS" strip
            add rewrite action ua replace "HTTP.REQ.HEADER(\"User-Agent\")" "\"portico-\" + HTTP.REQ.HEADER(\"User-Agent\").TO_LOWER"
            add rewrite policy normalise_ua TRUE ua
            add rewrite action copy insert_http_header X-Copy "HTTP.REQ.HEADER(\"X-In\") + \";\" + HTTP.REQ.COOKIE.VALUE(\"sid\")"
            add rewrite policy copy_in TRUE copy
            bind lb vserver web -policyName add_client -priority 20 -gotoPriorityExpression NEXT -type REQUEST
            bind lb vserver web -policyName strip_internal -priority 30 -gotoPriorityExpression NEXT
            bind lb vserver web -policyName normalise_ua -priority 40 -gotoPriorityExpression NEXT
            bind lb vserver web -policyName copy_in -priority 50
            """);
        var port = host.EndPointOf("web").Port;
        using var client = H2(host.EndPointOf("web"));
        var seen = await SeenAsync(client, $"https://shop.example.test:{port}/headers", r =>
        {
            r.Headers.Add("X-Internal", "secret");
            r.Headers.Add("User-Agent", "Curl/8");
            r.Headers.TryAddWithoutValidation("X-In", "a\tb");
            r.Headers.Add("Cookie", "lang=en; sid=42");
        });
        Assert.Equal("ip=127.0.0.1", seen["x-client"]);
        Assert.False(seen.ContainsKey("x-internal"));
        Assert.Equal("portico-curl/8", seen["user-agent"]);
        Assert.Equal("a%09b;42", seen["x-copy"]);
        Assert.Equal("127.0.0.1", seen["x-forwarded-for"]);

        var stats = (RewritePolicyStats)(await host.MustApplyAsync("stat rewrite policy")).Results.Single();
        Assert.All(stats.Policies, p => Assert.Equal(1, p.Hits));
    }

    [Fact]
    public async Task END_stops_the_bank_NEXT_goes_on_and_the_URL_and_host_are_rewritten_for_the_member()
    {
        await using var host = await StartAsync("""
            add rewrite action a1 insert_http_header X-One "\"1\""
            add rewrite action a2 insert_http_header X-Two "\"2\""
            add rewrite policy p1 TRUE a1
            add rewrite policy p2 TRUE a2
            bind lb vserver lb-www -policyName p1 -priority 10 -gotoPriorityExpression END
            bind lb vserver lb-www -policyName p2 -priority 20
            add rewrite action old_api replace HTTP.REQ.URL.PATH "\"/v2\" + HTTP.REQ.URL.PATH.AFTER_STR(\"/v1\")"
            add rewrite policy move_api "HTTP.REQ.URL.PATH.STARTSWITH(\"/v1/\")" old_api
            add rewrite action no_debug replace_all HTTP.REQ.URL.QUERY "\"x\"" -search text("debug")
            add rewrite policy strip_debug "HTTP.REQ.URL.QUERY.CONTAINS(\"debug\")" no_debug
            add rewrite action inner_host replace HTTP.REQ.HOSTNAME "\"inner.example\""
            add rewrite policy to_inner "HTTP.REQ.URL.QUERY.CONTAINS(\"inner\")" inner_host
            bind rewrite global move_api 10 NEXT
            bind rewrite global strip_debug 20 NEXT
            bind rewrite global to_inner 30
            """);
        var port = host.EndPointOf("front").Port;
        using var client = H2(host.EndPointOf("front"));
        var seen = await SeenAsync(client, $"https://www.example.test:{port}/headers");
        Assert.Equal("1", seen["x-one"]);
        Assert.False(seen.ContainsKey("x-two"));
        await host.MustApplyAsync("unbind lb vserver lb-www -policyName p1\nbind lb vserver lb-www -policyName p1 -priority 10 -gotoPriorityExpression NEXT");
        seen = await SeenAsync(client, $"https://www.example.test:{port}/headers");
        Assert.Equal(("1", "2"), (seen["x-one"], seen["x-two"]));

        using var moved = await GetAsync(client, $"https://shop.example.test:{port}/v1/headers?id=3&debug=1");
        Assert.Equal("/v2/headers?id=3&x=1", moved.Headers.GetValues("X-Request-Target").Single());
        using var inner = await GetAsync(client, $"https://shop.example.test:{port}/headers?inner=1");
        Assert.Contains("host: inner.example\n", await inner.Content.ReadAsStringAsync());
        using var other = await GetAsync(client, $"https://shop.example.test:{port}/static/a.css");
        Assert.Equal("/static/a.css", other.Headers.GetValues("X-Request-Target").Single());
    }

    [Fact]
    public async Task Response_headers_are_rewritten_by_status_before_the_head_is_sent()
    {
        await using var host = await StartAsync("""
            add rewrite action hide_server delete_http_header X-Backend
            add rewrite policy hide TRUE hide_server
            add rewrite action mark insert_http_header X-Was "HTTP.REQ.URL + \" -> \" + HTTP.RES.STATUS + \" \" + HTTP.RES.HEADER(\"X-Request-Target\")"
            add rewrite policy mark_errors "HTTP.RES.STATUS.GE(400)" mark
            bind lb vserver web -policyName hide -priority 10 -gotoPriorityExpression NEXT -type RESPONSE
            bind lb vserver web -policyName mark_errors -priority 20 -type RESPONSE
            """);
        var port = host.EndPointOf("web").Port;
        using var client = H2(host.EndPointOf("web"));
        using var ok = await GetAsync(client, $"https://shop.example.test:{port}/");
        Assert.False(ok.Headers.Contains("X-Backend"));
        Assert.False(ok.Headers.Contains("X-Was"));
        using var missing = await GetAsync(client, $"https://shop.example.test:{port}/status/404");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("/status/404 -> 404 /status/404", missing.Headers.GetValues("X-Was").Single());
        var stats = (RewritePolicyStats)(await host.MustApplyAsync("stat rewrite policy")).Results.Single();
        Assert.Equal([("hide", 2L), ("mark_errors", 1L)], stats.Policies.OrderBy(p => p.Name).Select(p => (p.Name, p.Hits)));
    }

    [Fact]
    public async Task A_response_rewrite_RESET_ends_the_stream_before_any_of_the_response_is_sent()
    {
        await using var host = await StartAsync("""
            add rewrite policy no_errors "HTTP.RES.STATUS.EQ(500)" RESET
            bind lb vserver web -policyName no_errors -priority 10 -type RESPONSE
            """);
        var port = host.EndPointOf("web").Port;
        using var client = H2(host.EndPointOf("web"));
        var reset = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(client, $"https://shop.example.test:{port}/status/500"));
        Assert.Equal(0x8, Assert.IsType<HttpProtocolException>(reset.InnerException).ErrorCode);
        using var fine = await GetAsync(client, $"https://shop.example.test:{port}/status/404");
        Assert.Equal(HttpStatusCode.NotFound, fine.StatusCode);
    }

    [Fact]
    public async Task An_http2_client_and_an_http1_client_get_the_same_answers_from_the_same_policies()
    {
        var page = Path.Combine(_dir, "closed.html");
        await File.WriteAllTextAsync(page, "<p>closed</p>");
        await using var host = await StartAsync($"""
            import responder htmlpage {page} closed
            add responder action closed_page respondwithhtmlpage -htmlpage closed -responseStatusCode 503
            add responder policy closed_shop "HTTP.REQ.URL.PATH.STARTSWITH(\"/closed\")" closed_page
            bind cs vserver front -policyName closed_shop -priority 1 -type REQUEST
            add responder action to_https redirect "\"https://www.example.test\" + HTTP.REQ.URL" -responseStatusCode 308
            add responder policy old_paths "HTTP.REQ.URL.PATH.STARTSWITH(\"/old\")" to_https
            bind responder global old_paths 100 END -type REQ_DEFAULT
            add rewrite action tag insert_http_header X-Tag "HTTP.REQ.METHOD + \" \" + HTTP.REQ.HOSTNAME + \" \" + HTTP.REQ.URL.QUERY"
            add rewrite policy tag_all TRUE tag
            bind rewrite global tag_all 10
            add rewrite action res_tag insert_http_header X-Res "\"status=\" + HTTP.RES.STATUS"
            add rewrite policy res_all TRUE res_tag
            bind lb vserver lb-api -policyName res_all -priority 10 -type RESPONSE
            """);
        var vip = host.EndPointOf("front");
        var port = vip.Port;
        string[] urls =
        [
            $"https://www.example.test:{port}/headers?a=1", $"https://api.example.test:{port}/headers?b=2", $"https://shop.example.test:{port}/headers",
            $"https://www.example.test:{port}/closed/now", $"https://shop.example.test:{port}/old/page?x=1", $"https://api.example.test:{port}/status/404",
            $"https://www.example.test:{port}/api/old",
        ];
        async Task<List<string>> AnswersAsync(Version version)
        {
            using var client = Client(vip, version);
            var answers = new List<string>();
            foreach (var url in urls)
            {
                using var response = await GetAsync(client, url);
                var body = await response.Content.ReadAsStringAsync();
                var seenTag = body.Split('\n').FirstOrDefault(l => l.StartsWith("x-tag: ", StringComparison.Ordinal));
                answers.Add(string.Join(" | ", (int)response.StatusCode, response.Headers.Location?.ToString(), response.Headers.TryGetValues("X-Backend", out var b) ? b.Single() : "-",
                    response.Headers.TryGetValues("X-Res", out var r) ? r.Single() : "-", seenTag ?? (body.Contains("x-tag", StringComparison.Ordinal) ? "?" : body)));
            }

            return answers;
        }

        var h1 = await AnswersAsync(HttpVersion.Version11);
        var h2 = await AnswersAsync(HttpVersion.Version20);
        Assert.Equal(h1, h2);
        Assert.Equal("200 |  | www | - | x-tag: GET www.example.test a=1", h2[0]);
        Assert.Equal("200 |  | api | status=200 | x-tag: GET api.example.test b=2", h2[1]);
        Assert.Equal("503 |  | - | - | <p>closed</p>", h2[3]);
        Assert.Equal($"308 | https://www.example.test/old/page?x=1 | - | - | ", h2[4]);
        Assert.StartsWith("404 |  | api | status=404 | ", h2[5]);

        // Every policy counted both clients' requests alike.
        var cs = ((CsVserverStats)(await host.MustApplyAsync("stat cs vserver front")).Results.Single()).Vservers.Single();
        Assert.Equal([("is-api", 6L), ("is-www", 2L)], cs.Policies.Select(p => (p.Policy, p.Hits)));
        var responders = (ResponderPolicyStats)(await host.MustApplyAsync("stat responder policy")).Results.Single();
        Assert.Equal([("closed_shop", 2L), ("old_paths", 2L)], responders.Policies.OrderBy(p => p.Name).Select(p => (p.Name, p.Hits)));
        var rewrites = (RewritePolicyStats)(await host.MustApplyAsync("stat rewrite policy")).Results.Single();
        Assert.Equal([("res_all", 6L), ("tag_all", 10L)], rewrites.Policies.OrderBy(p => p.Name).Select(p => (p.Name, p.Hits)));
    }
}
