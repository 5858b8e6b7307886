using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portico.Http.Logging;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>The per-request access log: one line per request, as the operator reads it after the traffic.</summary>
public sealed class AccessLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-access-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Every_request_gets_a_line_with_client_vservers_member_status_bytes_time_and_request_line()
    {
        var path = Path.Combine(_dir, "access.log");
        await using var backend = await TestHttpServer.StartAsync("b1");
        await using (var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 HTTP {backend.Port}
            add lb vserver web HTTP 0.0.0.0 0
            bind lb vserver web s1
            add cs vserver front HTTP 127.0.0.1 {Ports.Free()}
            add cs policy to_web -rule "HTTP.REQ.URL.STARTSWITH(\"/app\")"
            bind cs vserver front -policyName to_web -priority 10 -targetLBVserver web
            add responder action go redirect "\"/app/\"" -responseStatusCode 302
            add responder policy root "HTTP.REQ.URL.EQ(\"/\")" go
            bind cs vserver front -policyName root -priority 1 -type REQUEST
            """, configure: s => s.AddSingleton(new AccessLogOptions(path))))
        {
            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
            var url = $"http://{host.EndPointOf("front")}";
            using (var ok = await client.GetAsync(url + "/app/page?x=1"))
            {
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }

            using (var moved = await client.GetAsync(url + "/"))
            {
                Assert.Equal(HttpStatusCode.Found, moved.StatusCode);
            }

            using (var none = await client.GetAsync(url + "/other"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, none.StatusCode);
            }
        }

        // The host is stopped: the writer has flushed every line.
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(3, lines.Length);
        Assert.Matches("""^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 127\.0\.0\.1:\d+ front web s1 200 \d+ \d+\.\d\d "GET /app/page\?x=1 HTTP/1\.1"$""", lines[0]);
        Assert.Matches("""^\S+ 127\.0\.0\.1:\d+ front - - 302 \d+ \d+\.\d\d "GET / HTTP/1\.1"$""", lines[1]);
        Assert.Matches("""^\S+ 127\.0\.0\.1:\d+ front - - 503 \d+ \d+\.\d\d "GET /other HTTP/1\.1"$""", lines[2]);
        var bytes = long.Parse(lines[0].Split(' ')[6], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(bytes, 100, 10_000);
    }

    [Fact]
    public async Task Without_a_file_nothing_is_written_and_a_file_that_cannot_be_opened_stops_the_start()
    {
        await using var off = new AccessLog(AccessLogOptions.None, TimeProvider.System);
        Assert.False(off.Enabled);
        var bad = Path.Combine(_dir, "no-such-dir", "access.log");
        Assert.Throws<DirectoryNotFoundException>(() => new AccessLog(new AccessLogOptions(bad), TimeProvider.System));
    }

    [Fact]
    public async Task Reopen_starts_a_new_file_after_the_old_one_was_moved_away()
    {
        var path = Path.Combine(_dir, "access.log");
        await using var log = new AccessLog(new AccessLogOptions(path), TimeProvider.System);
        log.Record(new AccessLogEntry("192.0.2.1:1", "v", "v", "m", 200, 10, 1.5, "GET / HTTP/1.1"));
        Assert.True(await Eventually.TrueAsync(() => log.Written == 1, Eventually.Timeout));
        File.Move(path, path + ".1");
        log.Reopen();
        log.Record(new AccessLogEntry("192.0.2.1:2", "v", "v", "m", 404, 10, 1.5, "GET /x HTTP/1.1"));
        Assert.True(await Eventually.TrueAsync(() => log.Written == 2, Eventually.Timeout));
        await log.DisposeAsync();
        Assert.Contains("\"GET / HTTP/1.1\"", await File.ReadAllTextAsync(path + ".1"));
        Assert.Contains(" 404 ", await File.ReadAllTextAsync(path));
    }
}
