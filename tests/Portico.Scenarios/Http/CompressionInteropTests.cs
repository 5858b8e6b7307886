using System.IO.Compression;
using System.Net.Sockets;
using System.Text;
using Portico.Scenarios.Lab;
using Portico.Testing;

namespace Portico.Scenarios.Http;

/// <summary>
/// Compression between real parts: Debian's nginx serving html, css, js and the never-compressed cases (with its own
/// gzip off), Portico with <c>enable ns feature CMP</c>, and curl as the browser. Each coding decodes byte-exact
/// (curl's decoders, the zstd CLI, .NET's brotli), Vary is there, and what must pass untouched does.
/// </summary>
public sealed class CompressionInteropTests
{
    [Fact]
    public async Task Curl_decodes_every_coding_byte_exact_and_the_never_compressed_files_pass_as_nginx_serves_them()
    {
        InteropTools.Require(InteropTools.Nginx, "nginx");
        InteropTools.Require(InteropTools.Curl, "curl");
        var dir = Directory.CreateTempSubdirectory("portico-cmp-").FullName;
        var root = Directory.CreateDirectory(Path.Combine(dir, "www")).FullName;
        var html = string.Concat(Enumerable.Range(0, 3000).Select(i => $"<li class=\"r{i % 9}\">item {i} of the farm's page</li>\n"));
        await File.WriteAllTextAsync(Path.Combine(root, "index.html"), "<!doctype html><ul>\n" + html + "</ul>\n");
        await File.WriteAllTextAsync(Path.Combine(root, "site.css"), string.Concat(Enumerable.Range(0, 2000).Select(i => $".c{i} {{ margin: {i % 7}px; color: #333; }}\n")));
        await File.WriteAllTextAsync(Path.Combine(root, "app.js"), string.Concat(Enumerable.Range(0, 2000).Select(i => $"function f{i}(x) {{ return x + {i}; }}\n")));
        InteropTools.RandomFile(root, "logo.png", 50_000);
        InteropTools.RandomFile(root, "data.bin", 50_000);
        var port = Ports.Free();
        using var nginx = await InteropTools.StartNginxAsync(dir, port, $$"""
                types { text/html html; text/css css; application/javascript js; image/png png; application/octet-stream bin; }
                gzip off;
                server {
                    listen 127.0.0.1:{{port}};
                    root {{root}};
                    location /nt/ { alias {{root}}/; add_header Cache-Control "no-transform"; }
                }
            """);
        await using var host = await PorticoHost.StartAsync($"""
            add service ng 127.0.0.1 HTTP {port}
            add lb vserver web HTTP 127.0.0.1 {Ports.Free()}
            bind lb vserver web ng
            enable ns feature CMP
            add cmp policy scripts -rule "HTTP.RES.HEADER(\"Content-Type\").CONTAINS(\"javascript\")" -resAction COMPRESS
            bind cmp global scripts -priority 100
            """);
        var web = $"http://{host.EndPointOf("web")}";
        try
        {
            foreach (var file in new[] { "index.html", "site.css", "app.js" })
            {
                var original = await File.ReadAllBytesAsync(Path.Combine(root, file));
                foreach (var coding in new[] { "gzip", "deflate", "br", "zstd" })
                {
                    var (head, body) = await CurlAsync(dir, $"{web}/{file}", ["--compressed", "-H", $"Accept-Encoding: {coding}"]);
                    Assert.Contains($"content-encoding: {coding}", head, StringComparison.OrdinalIgnoreCase);
                    Assert.Contains("vary: accept-encoding", head, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("content-length:", head, StringComparison.OrdinalIgnoreCase);
                    Assert.Contains("etag: W/", head, StringComparison.OrdinalIgnoreCase);
                    Assert.True(original.AsSpan().SequenceEqual(body), $"{file} {coding}: {body.Length} bytes decoded by curl, {original.Length} in the file");
                }

                // The raw bodies, decoded by other decoders than curl's: the zstd CLI and .NET's brotli.
                var (_, zst) = await CurlAsync(dir, $"{web}/{file}", ["-H", "Accept-Encoding: zstd"]);
                var zstPath = Path.Combine(dir, "body.zst");
                await File.WriteAllBytesAsync(zstPath, zst);
                var (code, output, error) = await InteropTools.RunAsync("/usr/bin/zstd", ["-d", "-f", "-q", zstPath, "-o", Path.Combine(dir, "body.out")]);
                Assert.True(code == 0, InteropTools.Describe(code, output, error));
                Assert.Equal(InteropTools.Sha256(original), InteropTools.Sha256(await File.ReadAllBytesAsync(Path.Combine(dir, "body.out"))));

                var (_, br) = await CurlAsync(dir, $"{web}/{file}", ["-H", "Accept-Encoding: br"]);
                using var decoded = new MemoryStream();
                await using (var brotli = new BrotliStream(new MemoryStream(br), CompressionMode.Decompress))
                {
                    await brotli.CopyToAsync(decoded);
                }

                Assert.Equal(InteropTools.Sha256(original), InteropTools.Sha256(decoded.ToArray()));
                Assert.True(br.Length < original.Length / 3, $"{file}: br {br.Length} bytes for {original.Length}");
            }

            // Never compressed: binary types, HEAD, a range, no-transform; each byte for byte as nginx serves it.
            foreach (var (path, args) in new (string, string[])[]
            {
                ("logo.png", []), ("data.bin", []), ("index.html", ["-r", "0-99"]), ("index.html", ["-I"]), ("nt/index.html", []),
            })
            {
                var extra = args.Concat(["-H", "Accept-Encoding: gzip, br, zstd"]).ToArray();
                var (viaHead, viaBody) = await CurlAsync(dir, $"{web}/{path}", extra);
                var (directHead, directBody) = await CurlAsync(dir, $"http://127.0.0.1:{port}/{path}", extra);
                Assert.DoesNotContain("content-encoding:", viaHead, StringComparison.OrdinalIgnoreCase);
                if (args.Contains("-I"))
                {
                    // HEAD: no body; the representation's length is the member's.
                    Assert.Equal(ContentLength(directHead), ContentLength(viaHead));
                    continue;
                }

                Assert.True(directBody.AsSpan().SequenceEqual(viaBody), $"{path} {string.Join(' ', args)}: {viaBody.Length} bytes through Portico, {directBody.Length} direct");
            }

            var stat = (await host.MustApplyAsync("stat cmp")).Results.Single().ToText();
            Assert.Contains("Compressed responses: 18 (gzip 3, deflate 3, br 6, zstd 6)", stat);
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

    private static string? ContentLength(string head) =>
        head.Split("\r\n").FirstOrDefault(l => l.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase));

    /// <summary>curl's answer: the head as text and the body as written (decoded only with --compressed).</summary>
    private static async Task<(string Head, byte[] Body)> CurlAsync(string dir, string url, string[] args)
    {
        var headFile = Path.Combine(dir, "head.txt");
        var bodyFile = Path.Combine(dir, "body.bin");
        File.Delete(bodyFile);
        var (code, output, error) = await InteropTools.RunAsync(InteropTools.Curl,
            ["-s", "-S", "--max-time", "20", "-D", headFile, "-o", bodyFile, .. args, url]);
        Assert.True(code == 0, InteropTools.Describe(code, output, error));
        return (await File.ReadAllTextAsync(headFile, Encoding.Latin1), File.Exists(bodyFile) ? await File.ReadAllBytesAsync(bodyFile) : []);
    }
}
