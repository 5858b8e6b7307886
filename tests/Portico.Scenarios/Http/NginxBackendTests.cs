using System.Net;
using System.Net.Sockets;
using Portico.Scenarios.Lab;
using Portico.Testing;

namespace Portico.Scenarios.Http;

/// <summary>
/// Debian's nginx as the backend: static files of several sizes (and a gzip'd, chunked text), HEAD and a 304, fetched
/// through Portico and directly; the bytes and the entity fields must be the same.
/// </summary>
public sealed class NginxBackendTests
{
    private static readonly int[] Sizes = [0, 1, 1000, 65536, 1_048_583, 10 * 1024 * 1024];

    private static readonly string[] EntityFields = ["Content-Length", "Content-Type", "ETag", "Last-Modified", "Content-Encoding"];

    [Fact]
    public async Task Files_of_several_sizes_come_through_portico_byte_for_byte_as_nginx_serves_them()
    {
        InteropTools.Require(InteropTools.Nginx, "nginx");
        var dir = Directory.CreateTempSubdirectory("portico-nginx-").FullName;
        var root = Directory.CreateDirectory(Path.Combine(dir, "www")).FullName;
        foreach (var size in Sizes)
        {
            InteropTools.RandomFile(root, $"f{size}.bin", size);
        }

        await File.WriteAllTextAsync(Path.Combine(root, "text.txt"), string.Concat(Enumerable.Range(0, 20000).Select(i => $"line {i} of a compressible text\n")));
        var port = Ports.Free();
        using var nginx = await InteropTools.StartNginxAsync(dir, port, $$"""
                types { text/plain txt; application/octet-stream bin; }
                gzip on;
                gzip_min_length 0;
                gzip_types text/plain application/octet-stream;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{root}};
                }
            """);
        await using var host = await PorticoHost.StartAsync($"""
            add service ng 127.0.0.1 HTTP {port}
            add lb vserver web HTTP 127.0.0.1 {Ports.Free()}
            bind lb vserver web ng
            """);
        using var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false })
        {
            Timeout = Eventually.Timeout * 3,
        };
        var direct = $"http://127.0.0.1:{port}";
        var portico = $"http://{host.EndPointOf("web")}";
        try
        {
            foreach (var path in Sizes.Select(s => $"/f{s}.bin").Append("/text.txt"))
            {
                foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
                {
                    foreach (var gzip in new[] { false, true })
                    {
                        var a = await FetchAsync(client, method, direct + path, gzip, null);
                        var b = await FetchAsync(client, method, portico + path, gzip, null);
                        var what = $"{method} {path} gzip {gzip}";
                        Assert.Equal(HttpStatusCode.OK, a.Status);
                        Assert.True(b.Status == HttpStatusCode.OK, $"{what}: {b.Status} through Portico");
                        Assert.True(a.Body.AsSpan().SequenceEqual(b.Body), $"{what}: {b.Body.Length} bytes through Portico, {a.Body.Length} direct");
                        foreach (var field in EntityFields)
                        {
                            Assert.True(a.Fields.GetValueOrDefault(field) == b.Fields.GetValueOrDefault(field),
                                $"{what}: {field} '{b.Fields.GetValueOrDefault(field)}' through Portico, '{a.Fields.GetValueOrDefault(field)}' direct");
                        }

                        if (method == HttpMethod.Get && !gzip)
                        {
                            Assert.Equal(InteropTools.Sha256(await File.ReadAllBytesAsync(Path.Combine(root, path[1..]))), InteropTools.Sha256(b.Body));
                        }
                    }
                }

                // A conditional GET: 304, no body, the same validator.
                var etag = (await FetchAsync(client, HttpMethod.Head, direct + path, false, null)).Fields["ETag"];
                var notModified = await FetchAsync(client, HttpMethod.Get, portico + path, false, etag);
                Assert.True(notModified.Status == HttpStatusCode.NotModified && notModified.Body.Length == 0, $"{path}: {notModified.Status}, {notModified.Body.Length} bytes");
            }
        }
        finally
        {
            nginx.Dispose();
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<(HttpStatusCode Status, byte[] Body, Dictionary<string, string> Fields)> FetchAsync(HttpClient client, HttpMethod method, string url,
        bool gzip, string? ifNoneMatch)
    {
        using var request = new HttpRequestMessage(method, url);
        if (gzip)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var fields = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return (response.StatusCode, body, fields);
    }
}
