using System.Net;
using System.Net.Sockets;
using System.Text;
using Portico.Responder;
using Portico.Responder.Commands;
using Portico.Testing;

namespace Portico.Core.Tests.Responder;

/// <summary>Responder policies answering for the farm: redirects, pages, DROP and RESET, seen by real clients.</summary>
public sealed class ResponderTests : IAsyncLifetime, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-responder-").FullName;
    private TestHttpServer _backend = null!;

    public async Task InitializeAsync() => _backend = await TestHttpServer.StartAsync("b1");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<PorticoHost> StartAsync(string extra) => PorticoHost.StartAsync($"""
        add service s1 127.0.0.1 HTTP {_backend.Port}
        add lb vserver web HTTP 127.0.0.1 {Ports.Free()}
        bind lb vserver web s1
        {extra}
        """);

    private static HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });

    [Fact]
    public async Task A_redirect_built_from_the_request_answers_without_asking_the_member()
    {
        // The namaste config's own lines: the bind before the policy, the action after it.
        await using var host = await StartAsync("""
            bind lb vserver web -policyName to_https -priority 100 -gotoPriorityExpression END -type REQUEST
            add responder policy to_https "HTTP.REQ.URL.EQ(\"/\")" to_https_action
            add responder action to_https_action redirect "\"https://\" + HTTP.REQ.HOSTNAME.HTTP_URL_SAFE + \"/rebirth/enlightenment=true\"" -responseStatusCode 302
            """);
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{host.EndPointOf("web")}/");
        request.Headers.Host = "shop.example.com";
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://shop.example.com/rebirth/enlightenment=true", response.Headers.Location!.ToString());
        Assert.Equal(0, _backend.Requests);

        using var other = await client.GetAsync($"http://{host.EndPointOf("web")}/page");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(1, _backend.Requests);

        var stat = (ResponderPolicyStats)(await host.MustApplyAsync("stat responder policy to_https")).Results.Single();
        Assert.Equal(1, stat.Policies.Single().Hits);
    }

    [Fact]
    public async Task A_maintenance_page_is_served_to_all_but_the_office()
    {
        var page = Path.Combine(_dir, "maintenance.html");
        await File.WriteAllTextAsync(page, "<html><body>Back soon</body></html>");
        await using var host = await StartAsync($"""
            import responder htmlpage {page} maint
            add responder action show_maint respondwithhtmlpage -htmlpage maint -responseStatusCode 503
            add responder policy maintenance "!CLIENT.IP.SRC.IN_SUBNET(10.99.0.0/16)" show_maint
            bind responder global maintenance 10 END -type REQ_OVERRIDE
            """);
        using var client = Client();
        using var response = await client.GetAsync($"http://{host.EndPointOf("web")}/anything");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("<html><body>Back soon</body></html>", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, _backend.Requests);

        // The connection stays open for the next request (keep-alive), and unbinding lifts the page at once.
        await host.MustApplyAsync("unbind responder global maintenance -type REQ_OVERRIDE");
        using var after = await client.GetAsync($"http://{host.EndPointOf("web")}/anything");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Respondwith_sends_a_whole_response_written_in_the_target_with_Portico_framing()
    {
        await using var host = await StartAsync("""
            add responder action health respondwith "\"HTTP/1.1 200 OK\r\nX-Served-By: portico\r\nContent-Length: 999\r\n\r\nalive\""
            add responder policy health_check "HTTP.REQ.URL.PATH.EQ(\"/healthz\")" health
            bind lb vserver web -policyName health_check -priority 5
            add responder action plain respondwith "\"hello \" + CLIENT.IP.SRC" -responseStatusCode 201
            add responder policy hello "HTTP.REQ.URL.EQ(\"/hello\")" plain
            bind lb vserver web -policyName hello -priority 6
            """);
        using var client = Client();
        using var health = await client.GetAsync($"http://{host.EndPointOf("web")}/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("portico", health.Headers.GetValues("X-Served-By").Single());
        Assert.Equal(5, health.Content.Headers.ContentLength);
        Assert.Equal("alive", await health.Content.ReadAsStringAsync());
        using var hello = await client.GetAsync($"http://{host.EndPointOf("web")}/hello");
        Assert.Equal(HttpStatusCode.Created, hello.StatusCode);
        Assert.Equal("hello 127.0.0.1", await hello.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DROP_closes_without_an_answer_and_RESET_resets()
    {
        await using var host = await StartAsync("""
            add responder policy drop_admin "HTTP.REQ.URL.STARTSWITH(\"/admin\")" DROP
            add responder policy reset_bots "HTTP.REQ.HEADER(\"User-Agent\").CONTAINS(\"badbot\")" RESET
            bind lb vserver web -policyName drop_admin -priority 1
            bind lb vserver web -policyName reset_bots -priority 2
            """);
        Assert.Equal("", await RawAsync(host, "GET /admin HTTP/1.1\r\nHost: x\r\n\r\n"));
        var reset = await Assert.ThrowsAnyAsync<Exception>(() => RawUntilResetAsync(host, "GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: badbot/1\r\n\r\n"));
        Assert.True(reset is SocketException { SocketErrorCode: SocketError.ConnectionReset } or IOException { InnerException: SocketException }, reset.ToString());
        Assert.StartsWith("HTTP/1.1 200", await RawAsync(host, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        Assert.Equal(0 + 1, _backend.Requests);
    }

    [Fact]
    public async Task NOOP_with_NEXT_goes_on_and_a_header_cannot_be_injected_through_a_redirect()
    {
        await using var host = await StartAsync("""
            add responder policy count_all TRUE NOOP
            add responder action go redirect "\"http://\" + HTTP.REQ.HEADER(\"X-Target\")"
            add responder policy go_there "HTTP.REQ.HEADER(\"X-Target\").EXISTS" go
            bind lb vserver web -policyName count_all -priority 1 -gotoPriorityExpression NEXT
            bind lb vserver web -policyName go_there -priority 2
            """);
        var answer = await RawAsync(host, "GET / HTTP/1.1\r\nHost: x\r\nX-Target: a.example\tSet-Cookie: x=1\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 302 Found\r\n", answer);
        Assert.Contains("Location: http://a.example%09Set-Cookie: x=1\r\n", answer);
        var stats = (ResponderPolicyStats)(await host.MustApplyAsync("stat responder policy")).Results.Single();
        Assert.Equal([("count_all", 1L), ("go_there", 1L)], stats.Policies.Select(p => (p.Name, p.Hits)));
    }

    [Fact]
    public async Task Responder_policies_of_a_cs_vserver_run_before_switching_and_those_of_the_target_after()
    {
        await using var other = await TestHttpServer.StartAsync("b2");
        await using var host = await StartAsync($"""
            add service s2 127.0.0.1 HTTP {other.Port}
            add lb vserver lb-b2 HTTP 0.0.0.0 0
            bind lb vserver lb-b2 s2
            add cs vserver front HTTP 127.0.0.1 {Ports.Free()}
            add cs policy to_b2 -rule "HTTP.REQ.URL.STARTSWITH(\"/b2\")" 
            bind cs vserver front -policyName to_b2 -priority 10 -targetLBVserver lb-b2
            bind cs vserver front -lbvserver web
            add responder action front_says respondwith "\"front\""
            add responder policy at_front "HTTP.REQ.URL.EQ(\"/front\")" front_says
            bind cs vserver front -policyName at_front -priority 1 -type REQUEST
            add responder action b2_says respondwith "\"b2 says no\"" -responseStatusCode 403
            add responder policy at_b2 "HTTP.REQ.URL.CONTAINS(\"secret\")" b2_says
            bind lb vserver lb-b2 -policyName at_b2 -priority 1
            """);
        using var client = Client();
        var url = $"http://{host.EndPointOf("front")}";
        Assert.Equal("front", await client.GetStringAsync(url + "/front"));
        using var denied = await client.GetAsync(url + "/b2/secret");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("b2 says no", await denied.Content.ReadAsStringAsync());
        using var served = await client.GetAsync(url + "/b2/open");
        Assert.Equal("b2", served.Headers.GetValues("X-Backend").Single());
        using var secretElsewhere = await client.GetAsync(url + "/secret");
        Assert.Equal("b1", secretElsewhere.Headers.GetValues("X-Backend").Single());
    }

    [Theory]
    [InlineData("add responder action r1 redirect", "needs a target expression")]
    [InlineData("add responder action r1 redirect \"\\\"x\\\" +\"", "expression column 6")]
    [InlineData("add responder action r1 redirect \"\\\"/x\\\"\" -responseStatusCode 200", "a redirect's status is 3xx, not 200")]
    [InlineData("add responder action r1 respondwithhtmlpage -htmlpage nosuch", "no responder htmlpage named 'nosuch'")]
    [InlineData("add responder policy p1 TRUE nosuch", "no responder action named 'nosuch'")]
    [InlineData("add responder policy p1 \"HTTP.RES.STATUS.EQ(200)\" NOOP", "cannot read HTTP.RES")]
    [InlineData("add responder policy p1 TRUE DROP\nbind responder global p1 10 -type RES_DEFAULT", "expected REQ_OVERRIDE, REQ_DEFAULT, OVERRIDE or DEFAULT")]
    [InlineData("add responder policy p1 TRUE DROP\nbind lb vserver web -policyName p1 -priority 1 -type RESPONSE", "a responder policy acts on the request")]
    [InlineData("add responder policy p1 TRUE DROP\nbind lb vserver web -policyName p1 -priority 1\nrm responder policy p1", "'p1' is bound to lb vserver web")]
    [InlineData("bind lb vserver web -policyName ghost -priority 1", "no policy named 'ghost'")]
    [InlineData("import responder htmlpage /nonexistent/page.html p", "cannot read /nonexistent/page.html")]
    public async Task Bad_lines_are_refused_with_their_reason_and_change_nothing(string batch, string message)
    {
        await using var host = await StartAsync("");
        var before = Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
        var result = await host.ApplyAsync(batch);
        Assert.False(result.Applied);
        Assert.Contains(message, Assert.Single(result.Errors).ToString());
        Assert.Equal(before, Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task Save_config_writes_pages_actions_policies_and_binds_back()
    {
        var page = Path.Combine(_dir, "p.html");
        await File.WriteAllTextAsync(page, "<p>x</p>");
        var (lines, text) = ("", "");
        await using (var host = await StartAsync($"""
            import responder htmlpage {page} p1
            add responder action a1 respondwithhtmlpage -htmlpage p1 -comment "the page"
            add responder action a2 redirect "\"https://\" + HTTP.REQ.HOSTNAME + HTTP.REQ.URL" -responseStatusCode 301
            add responder policy rp1 "HTTP.REQ.URL.EQ(\"/\")" a1 RESET -comment first
            add responder policy rp2 "!CLIENT.SSL.IS_SSL" a2
            bind lb vserver web -policyName rp2 -priority 10 -gotoPriorityExpression END -type REQUEST
            bind responder global rp1 20 NEXT -type REQ_OVERRIDE
            """))
        {
            text = Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
            lines = text;
        }

        Assert.Contains($"import responder htmlpage {page} p1", lines);
        Assert.Contains("add responder action a1 respondwithhtmlpage -htmlpage p1 -comment \"the page\"", lines);
        Assert.Contains("add responder action a2 redirect \"\\\"https://\\\" + HTTP.REQ.HOSTNAME + HTTP.REQ.URL\" -responseStatusCode 301", lines);
        Assert.Contains("add responder policy rp1 \"HTTP.REQ.URL.EQ(\\\"/\\\")\" a1 RESET -comment first", lines);
        Assert.Contains("bind lb vserver web -policyName rp2 -priority 10 -gotoPriorityExpression END -type REQUEST", lines);
        Assert.Contains("bind responder global rp1 20 NEXT -type REQ_OVERRIDE", lines);
        await using var again = await PorticoHost.StartAsync(text);
        Assert.Equal(text, Portico.Configuration.ConfigWriter.Write(again.Engine.Store.Current, DateTimeOffset.UnixEpoch));
    }

    private static async Task<string> RawAsync(PorticoHost host, string request)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host.EndPointOf("web"));
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[8192];
        var text = new StringBuilder();
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    private static async Task RawUntilResetAsync(PorticoHost host, string request)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host.EndPointOf("web"));
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[8192];
        while (await socket.ReceiveAsync(buffer) > 0)
        {
        }
    }
}
