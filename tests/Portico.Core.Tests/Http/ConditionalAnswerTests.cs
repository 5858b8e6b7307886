using System.Text;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>
/// Under <c>-eTag STRIP</c> (and NORMALIZE) Portico answers conditional GETs itself: the member never gets
/// If-None-Match, nor the If-Modified-Since it overrides; a match is a 304 without the member's body, and the body
/// Portico drops keeps the server connection for the next request when it is small (up to 64 KiB).
/// </summary>
public sealed class ConditionalAnswerTests
{
    private const string Strip = "add ns httpProfile p -eTag STRIP";

    [Theory]
    [InlineData("/bytes/100", 1)]       // a Content-Length body, drained: one server connection for all
    [InlineData("/", 1)]                // a chunked body, drained
    [InlineData("/bytes/200000", 5)]    // longer than the drain limit: the server connection is closed each time
    public async Task A_304_from_portico_drops_the_body_and_keeps_the_server_connection_when_it_is_small(string path, int serverConnections)
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1, vserverOptions: "-httpProfileName p", extra: Strip);
        var requests = string.Concat(Enumerable.Repeat($"GET {path} HTTP/1.1\r\nHost: x\r\nIf-None-Match: *\r\n\r\n", 5));
        var exchange = await RawClient.ExchangeAsync(setup.Vip, Encoding.ASCII.GetBytes(requests), finalResponses: 5);
        Assert.True(exchange.Responses.Count == 5 && exchange.Responses.All(r => r.Status == 304 && r.Body.Length == 0), exchange.ToString());
        Assert.All(exchange.Responses, r => Assert.True(r.Has("Date") && !r.Has("Content-Length") && !r.Has("X-Backend"), r.ToString()));
        Assert.Equal(5, setup.Backends[0].Requests);
        Assert.Equal(serverConnections, setup.Backends[0].Connections);
        Assert.Equal(5, Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.NotModified));
    }

    [Fact]
    public async Task The_member_never_gets_the_conditions_portico_answers()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1, vserverOptions: "-httpProfileName p", extra: Strip);
        using var client = HttpSetup.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, setup.Url("/headers"));
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"not-this\"");
        request.Headers.TryAddWithoutValidation("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT");
        request.Headers.TryAddWithoutValidation("If-Range", "\"not-this\"");
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-1");
        request.Headers.TryAddWithoutValidation("X-Kept", "yes");
        using var response = await client.SendAsync(request);
        var echoed = await response.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("x-kept: yes", echoed, StringComparison.Ordinal);
        foreach (var held in new[] { "if-none-match", "if-modified-since", "if-range", "range:" })
        {
            Assert.DoesNotContain(held, echoed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_the_option_the_conditions_reach_the_member()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        using var client = HttpSetup.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, setup.Url("/headers"));
        request.Headers.TryAddWithoutValidation("If-None-Match", "*");
        using var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("if-none-match: *", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ssl_vserver_with_the_option_offers_only_http_1_1_so_no_client_skips_it_by_speaking_http_2()
    {
        var dir = Directory.CreateTempSubdirectory("portico-etag-tls-").FullName;
        try
        {
            var cert = TestCertificates.Create(dir, "a", "a.test");
            await using var backend = await TestHttpServer.StartAsync("b1");
            await using var host = await PorticoHost.StartAsync($"""
                add ns httpProfile p -eTag NORMALIZE
                add service s1 127.0.0.1 HTTP {backend.Port}
                add lb vserver web SSL 127.0.0.1 {Ports.Free()} -httpProfileName p
                add lb vserver plain SSL 127.0.0.1 {Ports.Free()}
                bind lb vserver web s1
                bind lb vserver plain s1
                add ssl certKey a -cert {cert.CertPath} -key {cert.KeyPath}
                bind ssl vserver web -certkeyName a
                bind ssl vserver plain -certkeyName a
                add lb vserver inner HTTP 0.0.0.0 0 -httpProfileName p
                bind lb vserver inner s1
                add cs vserver front SSL 127.0.0.1 {Ports.Free()}
                bind cs vserver front -lbvserver inner
                bind ssl vserver front -certkeyName a
                """);

            // A cs vserver follows the profile of the lb vservers it switches to.
            foreach (var (vserver, version) in new[] { ("web", "1.1"), ("plain", "2"), ("front", "1.1") })
            {
                var port = host.EndPointOf(vserver).Port;
                Assert.Equal(version, await HttpHeaderTests.CurlAsync("--http2", "-o", "/dev/null", "-w", "%{http_version}", "--cacert", cert.CertPath,
                    "--resolve", $"a.test:{port}:127.0.0.1", $"https://a.test:{port}/"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
