using Portico.Scenarios.Http;
using Portico.Testing;

namespace Portico.Scenarios.Policies;

/// <summary>
/// The same site as <see cref="CurlPolicyTests"/> behind an SSL cs vserver, driven with <c>curl --http2</c>: ALPN
/// chooses h2 and the cs table, the responder and rewrite banks answer exactly as they do for HTTP/1.1.
/// </summary>
public sealed class CurlHttp2PolicyTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-curl-h2-policies-").FullName;
    private TestHttpServer _www = null!;
    private TestHttpServer _api = null!;
    private string _cert = "";

    public async Task InitializeAsync()
    {
        _www = await TestHttpServer.StartAsync("www");
        _api = await TestHttpServer.StartAsync("api");
    }

    public async Task DisposeAsync()
    {
        await _www.DisposeAsync();
        await _api.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<PorticoHost> StartAsync()
    {
        var page = Path.Combine(_dir, "maintenance.html");
        await File.WriteAllTextAsync(page, "<h1>maintenance</h1>");
        var cert = TestCertificates.Create(_dir, "site", "www.example.com", "api.example.com");
        _cert = cert.CertPath;
        return await PorticoHost.StartAsync($"""
            add service www1 127.0.0.1 HTTP {_www.Port}
            add service api1 127.0.0.1 HTTP {_api.Port}
            add lb vserver lb_www HTTP 0.0.0.0 0
            add lb vserver lb_api HTTP 0.0.0.0 0
            bind lb vserver lb_www www1
            bind lb vserver lb_api api1
            add cs vserver front SSL 127.0.0.1 {Ports.Free()}
            add ssl certKey site -cert {cert.CertPath} -key {cert.KeyPath}
            bind ssl vserver front -certkeyName site
            add cs action to_api -targetLBVserver lb_api
            add cs policy api_host -rule "HTTP.REQ.HOSTNAME.EQ(\"api.example.com\")" -action to_api
            bind cs vserver front -policyName api_host -priority 100
            bind cs vserver front -lbvserver lb_www
            add responder action to_login redirect "\"https://\" + HTTP.REQ.HOSTNAME.HTTP_URL_SAFE + \"/sso\" + HTTP.REQ.URL" -responseStatusCode 301
            add responder policy login_sso "HTTP.REQ.URL.STARTSWITH(\"/login\")" to_login
            bind cs vserver front -policyName login_sso -priority 10 -type REQUEST
            import responder htmlpage {page} maint
            add responder action maint_page respondwithhtmlpage -htmlpage maint -responseStatusCode 503
            add responder policy api_down "HTTP.REQ.URL.STARTSWITH(\"/v1/\")" maint_page
            bind lb vserver lb_api -policyName api_down -priority 10
            add rewrite action tag insert_http_header X-Edge "\"front \" + CLIENT.IP.SRC"
            add rewrite action drop_cookie delete_http_header Cookie
            add rewrite policy tag_all TRUE tag
            add rewrite policy no_cookie_for_api "HTTP.REQ.HOSTNAME.EQ(\"api.example.com\")" drop_cookie
            bind rewrite global tag_all 10 NEXT -type REQ_OVERRIDE
            bind lb vserver lb_api -policyName no_cookie_for_api -priority 20 -type REQUEST
            add rewrite action no_server delete_http_header X-Backend
            add rewrite policy hide_backend "HTTP.RES.STATUS.EQ(200)" no_server
            bind rewrite global hide_backend 10 -type RES_DEFAULT
            """);
    }

    private async Task<string> GetAsync(PorticoHost host, string name, string path, params string[] extra)
    {
        InteropTools.Require(InteropTools.Curl, "curl");
        var port = host.EndPointOf("front").Port;
        var (code, output, error) = await InteropTools.RunAsync(InteropTools.Curl,
            ["-sS", "--http2", "-D", "-", "--cacert", _cert, "--resolve", $"{name}:{port}:127.0.0.1", .. extra, $"https://{name}:{port}{path}"]);
        Assert.True(code == 0, InteropTools.Describe(code, output, error));
        return output.ReplaceLineEndings("\n");
    }

    [Fact]
    public async Task Hosts_go_to_their_lb_vserver_over_http2_and_the_request_is_tagged_on_the_way()
    {
        await using var host = await StartAsync();
        var www = await GetAsync(host, "www.example.com", "/headers", "-H", "Cookie: s=1");
        Assert.StartsWith("HTTP/2 200", www);
        Assert.Contains("x-edge: front 127.0.0.1\n", www);
        Assert.Contains("cookie: s=1\n", www);
        Assert.DoesNotContain("x-backend:", www);

        var api = await GetAsync(host, "api.example.com", "/headers", "-H", "Cookie: s=1");
        Assert.StartsWith("HTTP/2 200", api);
        Assert.Contains("x-edge: front 127.0.0.1\n", api);
        Assert.DoesNotContain("cookie:", api);
        Assert.Equal((1, 1), (_www.Requests, _api.Requests));
    }

    [Fact]
    public async Task A_login_is_redirected_before_switching_and_an_api_path_gets_the_maintenance_page_over_http2()
    {
        await using var host = await StartAsync();
        var login = await GetAsync(host, "api.example.com", "/login?next=/home");
        Assert.StartsWith("HTTP/2 301 \n", login);
        Assert.Contains("location: https://api.example.com/sso/login?next=/home\n", login);

        var v1 = await GetAsync(host, "api.example.com", "/v1/users");
        Assert.StartsWith("HTTP/2 503", v1);
        Assert.EndsWith("<h1>maintenance</h1>", v1);

        var www = await GetAsync(host, "www.example.com", "/v1/users");
        Assert.StartsWith("HTTP/2 200", www);
        Assert.Equal((1, 0), (_www.Requests, _api.Requests));

        var stats = (await host.MustApplyAsync("stat cs vserver front\nstat responder policy\nstat rewrite policy")).Describe();
        Assert.Contains("100\tapi_host\t-> lb_api\tHits: 1", stats);
        Assert.Contains("Default hits: 1", stats);
        Assert.Contains("login_sso\tHits: 1", stats);
        Assert.Contains("api_down\tHits: 1", stats);
        Assert.Contains("tag_all\tHits: 1", stats);
    }
}
