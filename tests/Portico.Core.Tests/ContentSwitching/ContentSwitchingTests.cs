using System.Net;
using Portico.ContentSwitching;
using Portico.ContentSwitching.Commands;
using Portico.Testing;

namespace Portico.Core.Tests.ContentSwitching;

/// <summary>A cs vserver in front of lb vservers, as real ns.conf files write it, with real clients and backends.</summary>
public class ContentSwitchingTests
{
    private static async Task<(PorticoHost Host, TestHttpServer[] Backends)> StartAsync(string extra = "")
    {
        var backends = new[] { await TestHttpServer.StartAsync("api"), await TestHttpServer.StartAsync("www"), await TestHttpServer.StartAsync("other") };
        var host = await PorticoHost.StartAsync($"""
            add service api1 127.0.0.1 HTTP {backends[0].Port}
            add service www1 127.0.0.1 HTTP {backends[1].Port}
            add service other1 127.0.0.1 HTTP {backends[2].Port}
            add lb vserver lb-api HTTP 0.0.0.0 0
            add lb vserver lb-www HTTP 0.0.0.0 0
            add lb vserver lb-other HTTP 0.0.0.0 0
            bind lb vserver lb-api api1
            bind lb vserver lb-www www1
            bind lb vserver lb-other other1
            add cs vserver front HTTP 127.0.0.1 {Ports.Free()} -cltTimeout 180 -persistenceType NONE
            add cs action to-api -targetLBVserver lb-api
            add cs action to-www -targetLBVserver lb-www -comment "the web site"
            add cs policy is-api -rule "HTTP.REQ.URL.STARTSWITH(\"/api/\") || HTTP.REQ.HOSTNAME.EQ(\"api.example.com\")" -action to-api
            add cs policy is-www -rule "HTTP.REQ.HOSTNAME.CONTAINS(\"www\")" -action to-www
            bind cs vserver front -policyName is-api -priority 100
            bind cs vserver front -policyName is-www -priority 110
            bind cs vserver front -lbvserver lb-other
            {extra}
            """);
        return (host, backends);
    }

    private static async Task<string> WhoAsync(HttpClient client, PorticoHost host, string host_, string path = "/")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{host.EndPointOf("front")}{path}");
        request.Headers.Host = host_;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("X-Backend").Single();
    }

    [Fact]
    public async Task Requests_go_to_the_lb_vserver_of_the_first_matching_policy_else_the_default()
    {
        var (host, backends) = await StartAsync();
        await using var _ = host;
        using var client = new HttpClient();
        Assert.Equal("api", await WhoAsync(client, host, "www.example.com", "/api/users"));
        Assert.Equal("api", await WhoAsync(client, host, "api.example.com"));
        Assert.Equal("www", await WhoAsync(client, host, "WWW.example.com", "/index.html"));
        Assert.Equal("other", await WhoAsync(client, host, "static.example.com", "/x"));

        var stat = (CsVserverStats)(await host.MustApplyAsync("stat cs vserver front")).Results.Single();
        var front = Assert.Single(stat.Vservers);
        Assert.Equal(4, front.Requests);
        Assert.Equal(1, front.DefaultHits);
        Assert.Equal([("is-api", 2L), ("is-www", 1L)], front.Policies.Select(p => (p.Policy, p.Hits)));
        Assert.Equal(2, Interlocked.Read(ref host.Engine.Runtime.Vservers["lb-api"].Counters.Requests));
        var byPolicy = (CsPolicyStats)(await host.MustApplyAsync("stat cs policy is-api")).Results.Single();
        Assert.Equal(2, byPolicy.Policies.Single().Hits);
        Assert.Equal([new CsPolicyVserverHits("front", 2)], byPolicy.Policies.Single().Vservers);
        foreach (var b in backends)
        {
            await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task Without_a_default_an_unmatched_request_is_answered_503_and_counted()
    {
        var (host, backends) = await StartAsync("unbind cs vserver front -lbvserver lb-other");
        await using var _ = host;
        using var client = new HttpClient();
        using var response = await client.GetAsync($"http://{host.EndPointOf("front")}/nothing");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var stat = (CsVserverStats)(await host.MustApplyAsync("stat cs vserver front")).Results.Single();
        Assert.Equal(1, stat.Vservers[0].Unserved);
        Assert.Equal(0, backends[2].Requests);
    }

    [Fact]
    public async Task A_goto_NEXT_lets_a_later_policy_decide()
    {
        var (host, _) = await StartAsync("""
            add cs policy api-v2 -rule "HTTP.REQ.URL.CONTAINS(\"/v2/\")" -action to-www
            unbind cs vserver front -policyName is-api
            bind cs vserver front -policyName is-api -priority 100 -gotoPriorityExpression NEXT
            bind cs vserver front -policyName api-v2 -priority 120
            """);
        await using var __ = host;
        using var client = new HttpClient();
        Assert.Equal("api", await WhoAsync(client, host, "x.example.com", "/api/v1/"));
        Assert.Equal("www", await WhoAsync(client, host, "x.example.com", "/api/v2/"));
    }

    [Fact]
    public async Task Changing_a_policy_reroutes_the_next_request_on_the_same_connection()
    {
        var (host, _) = await StartAsync();
        await using var __ = host;
        using var client = new HttpClient();
        Assert.Equal("other", await WhoAsync(client, host, "shop.example.com"));
        await host.MustApplyAsync("set cs policy is-www -rule \"HTTP.REQ.HOSTNAME.ENDSWITH(\\\"example.com\\\")\"");
        Assert.Equal("www", await WhoAsync(client, host, "shop.example.com"));
    }

    [Fact]
    public async Task Show_lists_policies_in_priority_order_with_their_targets()
    {
        var (host, _) = await StartAsync();
        await using var __ = host;
        var text = (await host.MustApplyAsync("show cs vserver front")).Describe();
        Assert.Contains("front (127.0.0.1:", text);
        Assert.Contains("State: UP", text);
        Assert.Contains("Default LB vserver: lb-other", text);
        Assert.True(text.IndexOf("is-api", StringComparison.Ordinal) < text.IndexOf("is-www", StringComparison.Ordinal));
        Assert.Contains("100\tis-api\t-> lb-api\tGoto: END", text);
        var policies = (await host.MustApplyAsync("show cs policy is-www")).Describe();
        Assert.Contains("Bound to: front (priority 110)", policies);
    }

    [Theory]
    [InlineData("add cs policy bad -rule \"HTTP.REQ.URL.EQ(\\\"/\\\"\" -action to-api", "HTTP.REQ.URL.EQ", "expression column 20: unexpected end of expression: expected ')'")]
    [InlineData("add cs policy bad -rule \"HTTP.RES.STATUS.EQ(200)\" -action to-api", "HTTP.RES.STATUS", "cannot read HTTP.RES")]
    [InlineData("add cs action bad -targetLBVserver nosuch", "nosuch", "no lb vserver named 'nosuch'")]
    [InlineData("bind cs vserver front -policyName is-www -priority 200", "is-www", "'is-www' is already bound to cs vserver front")]
    [InlineData("bind cs vserver front -policyName nosuch -priority 200", "nosuch", "no policy named 'nosuch'")]
    [InlineData("add cs policy p2 -rule TRUE\nbind cs vserver front -policyName p2 -priority 100", "100", "priority 100 is taken by 'is-api' on cs vserver front")]
    [InlineData("add cs policy p2 -rule TRUE\nbind cs vserver front -policyName p2 -priority 300", "p2", "'p2' has no action")]
    [InlineData("rm lb vserver lb-api", "lb-api", "'lb-api' is the target of cs action 'to-api'")]
    [InlineData("rm cs policy is-api", "is-api", "'is-api' is bound to cs vserver front")]
    [InlineData("add cs vserver lb-api HTTP 127.0.0.1 9", "lb-api", "'lb-api' is an lb vserver")]
    [InlineData("add cs policy p3 -rule TRUE -action to-api\nbind cs vserver front -policyName p3 -priority 5 -gotoPriorityExpression LATER", "LATER", "expected END, NEXT or a priority")]
    public async Task Bad_lines_are_refused_naming_the_word_and_change_nothing(string batch, string word, string message)
    {
        var (host, _) = await StartAsync();
        await using var __ = host;
        var before = Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
        var result = await host.ApplyAsync(batch);
        Assert.False(result.Applied);
        var error = Assert.Single(result.Errors);
        Assert.Contains(message, error.ToString());
        Assert.StartsWith($"line {batch.Split('\n').Length}, column ", error.ToString());
        Assert.Contains(word.TrimStart('-'), error.ToString());
        Assert.Equal(before, Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task A_NetScaler_function_Portico_lacks_keeps_the_line_unapplied_and_says_which()
    {
        var (host, _) = await StartAsync();
        await using var __ = host;
        var result = await host.ApplyAsync("add cs policy body -rule \"HTTP.REQ.BODY(100).CONTAINS(\\\"x\\\")\" -action to-api");
        var line = Assert.Single(result.Unsupported);
        Assert.Contains("HTTP.REQ.BODY", line.Reason);
        Assert.DoesNotContain(host.Engine.Store.Current.CsPolicies, p => p.Name == "body");
    }

    [Fact]
    public async Task Save_config_writes_every_line_back_in_an_order_that_loads()
    {
        var (host, _) = await StartAsync("set cs vserver front -comment \"edge\"");
        var text = Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
        Assert.Contains("add cs vserver front HTTP 127.0.0.1 ", text);
        Assert.Contains("-cltTimeout 180", text);
        Assert.Contains("add cs action to-www -targetLBVserver lb-www -comment \"the web site\"", text);
        Assert.Contains("add cs policy is-api -rule \"HTTP.REQ.URL.STARTSWITH(\\\"/api/\\\") || HTTP.REQ.HOSTNAME.EQ(\\\"api.example.com\\\")\" -action to-api", text);
        Assert.Contains("bind cs vserver front -policyName is-api -priority 100", text);
        Assert.Contains("bind cs vserver front -lbvserver lb-other", text);
        Assert.True(text.IndexOf("add lb vserver lb-api", StringComparison.Ordinal) < text.IndexOf("add cs action to-api", StringComparison.Ordinal));

        Assert.Contains("-comment edge", text);
        await host.DisposeAsync();

        // The same text starts another Portico with the same config (the address is free again).
        await using var again = await PorticoHost.StartAsync(text);
        Assert.Equal(text, Portico.Configuration.ConfigWriter.Write(again.Engine.Store.Current, DateTimeOffset.UnixEpoch));
    }
}

/// <summary>An SSL cs vserver: TLS offload with its own certificate, then switching on the decrypted requests.</summary>
public sealed class SslContentSwitchingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-cs-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Requests_over_TLS_are_switched_for_http2_clients_too()
    {
        var cert = TestCertificates.Create(_dir, "site", "www.example.test", "api.example.test");
        await using var api = await TestHttpServer.StartAsync("api");
        await using var www = await TestHttpServer.StartAsync("www");
        await using var host = await PorticoHost.StartAsync($"""
            add service api1 127.0.0.1 HTTP {api.Port}
            add service www1 127.0.0.1 HTTP {www.Port}
            add lb vserver lb-api HTTP 0.0.0.0 0
            add lb vserver lb-www HTTP 0.0.0.0 0
            bind lb vserver lb-api api1
            bind lb vserver lb-www www1
            add cs vserver edge SSL 127.0.0.1 {Ports.Free()}
            add ssl certKey site -cert {cert.CertPath} -key {cert.KeyPath}
            bind ssl vserver edge -certkeyName site
            add cs policy is-api -rule "HTTP.REQ.HOSTNAME.EQ(\"api.example.test\") && CLIENT.SSL.IS_SSL"
            bind cs vserver edge -policyName is-api -priority 10 -targetLBVserver lb-api
            bind cs vserver edge -lbvserver lb-www
            """);
        var port = host.EndPointOf("edge").Port;
        foreach (var (name, expected) in new[] { ("api.example.test", "api"), ("www.example.test", "www") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"https://{name}:{port}/") { Version = HttpVersion.Version20 };
            // The name in the URL is what the client sends as SNI and Host; the socket goes to the cs vserver.
            using var client = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && new System.Security.Cryptography.X509Certificates.X509Certificate2(c).Thumbprint == cert.Certificate.Thumbprint },
                ConnectCallback = async (_, ct) =>
                {
                    var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                    await s.ConnectAsync(host.EndPointOf("edge"), ct);
                    return new System.Net.Sockets.NetworkStream(s, ownsSocket: true);
                },
            });
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(HttpVersion.Version20, response.Version);
            Assert.Equal(expected, response.Headers.GetValues("X-Backend").Single());
        }
    }
}
