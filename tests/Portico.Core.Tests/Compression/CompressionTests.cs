using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portico.Compression;
using Portico.Compression.Commands;
using Portico.Testing;

namespace Portico.Core.Tests.Compression;

/// <summary>
/// Compression on the engine, between a real backend (Kestrel on loopback, serving a page, a slow chunked stream and
/// the never-compress cases) and a client that reads the raw bytes and decodes them with the standard decoders.
/// </summary>
public sealed class CompressionTests : IAsyncLifetime
{
    private static readonly byte[] PageBody = CompressorTests.Page(100 * 1024);
    private readonly SemaphoreSlim _slowGate = new(0);
    private WebApplication _backend = null!;
    private int _port;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _backend = builder.Build();
        _backend.Run(ServeAsync);
        await _backend.StartAsync();
        _port = new Uri(_backend.Urls.First()).Port;
    }

    public async Task DisposeAsync()
    {
        _slowGate.Release(100);
        await _backend.DisposeAsync();
        _slowGate.Dispose();
    }

    private async Task ServeAsync(HttpContext c)
    {
        var r = c.Response;
        switch (c.Request.Path.Value)
        {
            case "/page.html":
                r.ContentType = "text/html; charset=utf-8";
                r.Headers.ETag = "\"page-1\"";
                r.Headers.Vary = "Cookie";
                r.ContentLength = PageBody.Length;
                await r.Body.WriteAsync(PageBody);
                return;
            case "/apache.html":
                // Apache's FileETag INode MTime Size: the inode part differs on every member of a farm.
                r.ContentType = "text/html";
                r.Headers.ETag = "\"1e240-19000-5e2c3f1a2b3c0\"";
                r.Headers.LastModified = "Tue, 01 Dec 2026 10:00:00 GMT";
                r.ContentLength = PageBody.Length;
                await r.Body.WriteAsync(PageBody);
                return;
            case "/slow":
                // Chunked, in three parts: the second waits until the test saw the first.
                r.ContentType = "text/plain";
                await r.WriteAsync("part one of a slow stream;");
                await r.Body.FlushAsync();
                await _slowGate.WaitAsync(c.RequestAborted);
                await r.WriteAsync("part two;");
                await r.Body.FlushAsync();
                await _slowGate.WaitAsync(c.RequestAborted);
                await r.WriteAsync("part three.");
                return;
            case "/image.png":
                r.ContentType = "image/png";
                r.ContentLength = PageBody.Length;
                await r.Body.WriteAsync(PageBody);
                return;
            case "/no-transform":
                r.ContentType = "text/html";
                r.Headers.CacheControl = "public, no-transform";
                r.ContentLength = PageBody.Length;
                await r.Body.WriteAsync(PageBody);
                return;
            case "/coded":
                r.ContentType = "text/html";
                r.Headers.ContentEncoding = "gzip";
                var gz = Gzip(PageBody);
                r.ContentLength = gz.Length;
                await r.Body.WriteAsync(gz);
                return;
            case "/small":
                r.ContentType = "text/html";
                r.ContentLength = 10;
                await r.WriteAsync("0123456789");
                return;
            case "/app.js":
                r.ContentType = "application/javascript";
                r.ContentLength = PageBody.Length;
                await r.Body.WriteAsync(PageBody);
                return;
            default:
                r.StatusCode = 404;
                return;
        }
    }

    private static byte[] Gzip(byte[] body)
    {
        using var ms = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest))
        {
            gz.Write(body);
        }

        return ms.ToArray();
    }

    private Task<PorticoHost> StartAsync(string extra) => PorticoHost.StartAsync($"""
        add service s1 127.0.0.1 HTTP {_port}
        add lb vserver web HTTP 127.0.0.1 {Ports.Free()}
        bind lb vserver web s1
        {extra}
        """);

    /// <summary>A response as the client's socket got it (RawClient: the fields as sent, the body de-chunked).</summary>
    private static async Task<RawResponse> GetAsync(PorticoHost host, string path, string extraFields = "Accept-Encoding: gzip, deflate, br, zstd\r\n", string method = "GET",
        string version = "1.1", string vserver = "web")
    {
        var request = Encoding.ASCII.GetBytes($"{method} {path} HTTP/{version}\r\nHost: test\r\nConnection: close\r\n{extraFields}\r\n");
        var exchange = await RawClient.ExchangeAsync(host.EndPointOf(vserver), request, method == "HEAD" ? new HashSet<int> { 0 } : null);
        Assert.True(exchange.Closed && exchange.ParseError is null && exchange.Responses.Count == 1, exchange.ToString());
        return exchange.Responses[0];
    }

    private static ContentCoding CodingOf(string token) => token switch
    {
        "gzip" => ContentCoding.Gzip,
        "deflate" => ContentCoding.Deflate,
        "br" => ContentCoding.Brotli,
        "zstd" => ContentCoding.Zstd,
        _ => ContentCoding.Identity,
    };

    [Fact]
    public async Task Without_enable_ns_feature_CMP_nothing_is_compressed()
    {
        await using var host = await StartAsync("");
        var r = await GetAsync(host, "/page.html");
        Assert.Null(r.Field("Content-Encoding"));
        Assert.Equal(PageBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Field("Content-Length"));
        Assert.Equal("\"page-1\"", r.Field("ETag"));
        Assert.Equal(PageBody, r.Body);
    }

    [Theory]
    [InlineData("gzip, deflate, br, zstd", "br")]
    [InlineData("gzip, deflate, zstd", "zstd")]
    [InlineData("gzip", "gzip")]
    [InlineData("deflate", "deflate")]
    [InlineData("gzip;q=0.5, deflate;q=0.9", "deflate")]
    public async Task A_text_page_is_compressed_in_the_preferred_coding_and_decodes_byte_exact(string accept, string coding)
    {
        await using var host = await StartAsync("enable ns feature CMP");
        var r = await GetAsync(host, "/page.html", $"Accept-Encoding: {accept}\r\n");
        Assert.Equal(200, r.Status);
        Assert.Equal(coding, r.Field("Content-Encoding"));
        Assert.Null(r.Field("Content-Length"));
        Assert.Equal("chunked", r.Field("Transfer-Encoding"));
        Assert.Equal("Cookie, Accept-Encoding", r.Field("Vary"));
        Assert.Equal(1, r.Fields.Count(f => f.Name.Equals("Vary", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal("W/\"page-1\"", r.Field("ETag"));
        Assert.Equal(PageBody, CompressorTests.Decode(CodingOf(coding), r.Body));
        Assert.True(r.Body.Length < PageBody.Length / 4, $"{r.Body.Length} bytes");

        var stat = (CmpStatView)(await host.MustApplyAsync("stat cmp")).Results.Single();
        Assert.Equal(1, stat.Requests);
        Assert.Equal(PageBody.Length, stat.BytesIn);
        Assert.Equal(r.Body.Length, stat.BytesOut);
        Assert.Contains(stat.Policies, p => p.Name == "ns_cmp_content_type" && p.Hits == 1);
    }

    [Fact]
    public async Task A_normalized_etag_is_weakened_last_when_compressed_and_a_conditional_request_with_it_gets_304()
    {
        await using var host = await StartAsync("enable ns feature CMP\nadd ns httpProfile farm -eTag NORMALIZE\nset lb vserver web -httpProfileName farm");
        var identity = await GetAsync(host, "/apache.html", "");
        Assert.Null(identity.Field("Content-Encoding"));
        Assert.Equal("\"19000-5e2c3f1a2b3c0\"", identity.Field("ETag"));

        var compressed = await GetAsync(host, "/apache.html", "Accept-Encoding: br\r\n");
        Assert.Equal("br", compressed.Field("Content-Encoding"));
        Assert.Equal("W/\"19000-5e2c3f1a2b3c0\"", compressed.Field("ETag"));
        Assert.Equal(PageBody, CompressorTests.Decode(ContentCoding.Brotli, compressed.Body));

        // The browser revalidates with the tag it holds: the weak comparison RFC 9110 asks of If-None-Match matches.
        var again = await GetAsync(host, "/apache.html", "Accept-Encoding: br\r\nIf-None-Match: W/\"19000-5e2c3f1a2b3c0\"\r\n");
        Assert.Equal(304, again.Status);
        Assert.Empty(again.Body);
    }

    [Theory]
    [InlineData("/image.png", "")]
    [InlineData("/no-transform", "")]
    [InlineData("/coded", "")]
    [InlineData("/page.html", "Range: bytes=0-99\r\n")]
    [InlineData("/page.html", "Accept-Encoding: identity\r\n")]
    [InlineData("/page.html", "Accept-Encoding: gzip;q=2\r\n")]
    [InlineData("/small", "")]
    [InlineData("/app.js", "")]
    public async Task The_never_compressed_cases_pass_byte_for_byte(string path, string field)
    {
        await using var host = await StartAsync("enable ns feature CMP\nset cmp parameter -minResSize 100");
        using var direct = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
        var headers = field.StartsWith("Accept-Encoding", StringComparison.Ordinal) ? field : "Accept-Encoding: gzip, br\r\n" + field;
        var r = await GetAsync(host, path, headers);
        Assert.Null(r.Field("Transfer-Encoding"));
        Assert.Equal(path == "/coded" ? "gzip" : null, r.Field("Content-Encoding"));
        Assert.DoesNotContain("Accept-Encoding", r.Field("Vary") ?? "", StringComparison.Ordinal);
        var expected = await direct.GetByteArrayAsync($"http://127.0.0.1:{_port}{path}");
        Assert.Equal(r.Status == 206 ? expected[..100] : expected, r.Body);
    }

    [Fact]
    public async Task HEAD_gets_the_head_unchanged()
    {
        await using var host = await StartAsync("enable ns feature CMP");
        var r = await GetAsync(host, "/page.html", method: "HEAD");
        Assert.Null(r.Field("Content-Encoding"));
        Assert.Equal("\"page-1\"", r.Field("ETag"));
        Assert.Empty(r.Body);
    }

    [Fact]
    public async Task A_slow_chunked_stream_reaches_the_client_compressed_piece_by_piece()
    {
        await using var host = await StartAsync("enable ns feature CMP");
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host.EndPointOf("web"));
        using var stream = new NetworkStream(socket);
        await stream.WriteAsync("GET /slow HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"u8.ToArray());
        var received = new MemoryStream();
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(Eventually.Timeout);

        // The first part arrives (and decodes) while the member still holds the rest back.
        async Task<string> DecodedSoFarAsync(string want)
        {
            while (true)
            {
                var text = Decoded(received.ToArray());
                if (text.Contains(want, StringComparison.Ordinal))
                {
                    return text;
                }

                var n = await stream.ReadAsync(buffer, timeout.Token);
                Assert.True(n > 0, $"the stream ended before '{want}'; so far: {text}");
                received.Write(buffer, 0, n);
            }
        }

        Assert.Equal("part one of a slow stream;", await DecodedSoFarAsync("part one"));
        _slowGate.Release();
        Assert.Equal("part one of a slow stream;part two;", await DecodedSoFarAsync("part two"));
        _slowGate.Release();
        Assert.Equal("part one of a slow stream;part two;part three.", await DecodedSoFarAsync("three."));
    }

    /// <summary>The text a gzip body decodes to so far (a partial stream included).</summary>
    private static string Decoded(byte[] raw)
    {
        var end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return "";
        }

        Assert.Contains("Content-Encoding: gzip", Encoding.Latin1.GetString(raw, 0, end));
        var body = new MemoryStream();
        var at = end + 4;
        while (at < raw.Length)
        {
            var eol = raw.AsSpan(at).IndexOf("\r\n"u8);
            if (eol < 0)
            {
                break;
            }

            var size = Convert.ToInt32(Encoding.ASCII.GetString(raw, at, eol), 16);
            if (size == 0 || at + eol + 2 + size > raw.Length)
            {
                break;
            }

            body.Write(raw, at + eol + 2, size);
            at += eol + 2 + size + 2;
        }

        body.Position = 0;
        using var gz = new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionMode.Decompress);
        var text = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (gz.Read(buffer) is var n and > 0)
            {
                text.Write(buffer, 0, n);
            }
        }
        catch (EndOfStreamException)
        {
            // The stream is not finished yet: what it gave so far is what the client can show.
        }

        return Encoding.ASCII.GetString(text.ToArray());
    }

    [Fact]
    public async Task An_HTTP_1_0_client_gets_a_close_delimited_compressed_body()
    {
        await using var host = await StartAsync("enable ns feature CMP");
        var r = await GetAsync(host, "/page.html", "Accept-Encoding: gzip\r\n", version: "1.0");
        Assert.Equal("gzip", r.Field("Content-Encoding"));
        Assert.Null(r.Field("Transfer-Encoding"));
        Assert.Null(r.Field("Content-Length"));
        Assert.Equal("close", r.Field("Connection"));
        Assert.Equal(PageBody, CompressorTests.Decode(ContentCoding.Gzip, r.Body));
    }

    [Fact]
    public async Task Bound_policies_decide_before_the_built_in_ones_NOCOMPRESS_for_secret_paths_and_GZIP_forced()
    {
        await using var host = await StartAsync("""
            enable ns feature CMP
            add cmp action gz -cmpType gzip
            add cmp policy js -rule "HTTP.RES.HEADER(\"Content-Type\").CONTAINS(\"javascript\")" -resAction gz
            add cmp policy breach -rule "HTTP.REQ.URL.STARTSWITH(\"/page\")" -resAction NOCOMPRESS
            bind lb vserver web -policyName breach -priority 10 -type RESPONSE
            bind cmp global js -priority 100
            """);
        var page = await GetAsync(host, "/page.html");
        Assert.Null(page.Field("Content-Encoding"));
        Assert.Equal(PageBody, page.Body);

        var js = await GetAsync(host, "/app.js");
        Assert.Equal("gzip", js.Field("Content-Encoding"));
        Assert.Equal(PageBody, CompressorTests.Decode(ContentCoding.Gzip, js.Body));

        var stat = (CmpStatView)(await host.MustApplyAsync("stat cmp")).Results.Single();
        Assert.Contains(stat.Policies, p => p.Name == "breach" && p.Hits == 1);
        Assert.Contains(stat.Policies, p => p.Name == "js" && p.Hits == 1);
    }

    [Fact]
    public async Task NetScaler_s_default_global_bindings_of_the_advanced_built_in_policies_apply_as_written()
    {
        await using var host = await StartAsync("""
            enable ns feature CMP
            bind cmp global ns_adv_nocmp_xml_ie -priority 8700 -gotoPriorityExpression END -type RES_DEFAULT
            bind cmp global ns_adv_nocmp_mozilla_47 -priority 8800 -gotoPriorityExpression END -type RES_DEFAULT
            bind cmp global ns_adv_cmp_mscss -priority 8900 -gotoPriorityExpression END -type RES_DEFAULT
            bind cmp global ns_adv_cmp_msapp -priority 9000 -gotoPriorityExpression END -type RES_DEFAULT
            bind cmp global ns_adv_cmp_content_type -priority 10000 -gotoPriorityExpression END -type RES_DEFAULT
            """);
        Assert.Equal("gzip", (await GetAsync(host, "/page.html", "Accept-Encoding: gzip\r\n")).Field("Content-Encoding"));
        var stat = (CmpStatView)(await host.MustApplyAsync("stat cmp")).Results.Single();
        Assert.Equal(1, stat.Requests);
        Assert.Contains("ns_adv_cmp_content_type", (await host.MustApplyAsync("show cmp policy ns_adv_cmp_content_type")).Results.Single().ToText());
    }

    [Fact]
    public async Task A_cs_vserver_s_bank_decides_for_the_requests_it_switches()
    {
        await using var host = await StartAsync($"""
            enable ns feature CMP
            add cs vserver front HTTP 127.0.0.1 {Ports.Free()}
            bind cs vserver front -lbvserver web
            add cmp policy front_off -rule "HTTP.REQ.URL.CONTAINS(\"page\")" -resAction NOCOMPRESS
            bind cs vserver front -policyName front_off -priority 10 -type RESPONSE
            """);
        Assert.Null((await GetAsync(host, "/page.html", vserver: "front")).Field("Content-Encoding"));
        Assert.Equal("br", (await GetAsync(host, "/page.html")).Field("Content-Encoding"));
    }

    [Fact]
    public async Task Save_config_writes_compression_back_and_it_reads_back_the_same()
    {
        string text;
        await using (var host = await StartAsync("""
            enable ns feature LB CMP
            set cmp parameter -cmpLevel bestspeed -minResSize 512 -cmpBypassPct 90 -addVaryHeader NO -cmpOnPush DISABLED -policyType ADVANCED
            add cmp action gz -cmpType gzip -deltaType PERURL
            add cmp policy js -rule "HTTP.RES.HEADER(\"Content-Type\").CONTAINS(\"javascript\")" -resAction gz -comment scripts
            add cmp policy none -rule TRUE -resAction NOCOMPRESS
            bind cmp global js -priority 100 -type RES_OVERRIDE
            bind cmp global ns_cmp_content_type -priority 200
            bind lb vserver web -policyName none -priority 5 -type RESPONSE
            """))
        {
            text = Portico.Configuration.ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
        }

        Assert.Contains("enable ns feature LB CMP", text);
        Assert.Contains("set cmp parameter -cmpLevel bestspeed -minResSize 512 -cmpBypassPct 90 -addVaryHeader NO -cmpOnPush DISABLED -policyType ADVANCED", text);
        Assert.Contains("add cmp action gz -cmpType gzip -deltaType PERURL", text);
        Assert.Contains("add cmp policy js -rule \"HTTP.RES.HEADER(\\\"Content-Type\\\").CONTAINS(\\\"javascript\\\")\" -resAction gz -comment scripts", text);
        Assert.Contains("bind cmp global js -priority 100 -type RES_OVERRIDE", text);
        Assert.Contains("bind cmp global ns_cmp_content_type -priority 200", text);
        Assert.Contains("bind lb vserver web -policyName none -priority 5 -type RESPONSE", text);
        await using var again = await PorticoHost.StartAsync(text);
        Assert.Equal(text, Portico.Configuration.ConfigWriter.Write(again.Engine.Store.Current, DateTimeOffset.UnixEpoch));
        var shown = (await again.MustApplyAsync("show cmp parameter")).Results.Single().ToText();
        Assert.Contains("ENABLED", shown);
        Assert.Contains("gzip/deflate 1", shown);
    }

    [Theory]
    [InlineData("add cmp policy p1 -rule TRUE -resAction nosuch", "no cmp action named 'nosuch'")]
    [InlineData("add cmp policy p1 -resAction COMPRESS", "needs -rule")]
    [InlineData("add cmp policy p1 -rule \"HTTP.REQ.URL.\" -resAction COMPRESS", "'HTTP.REQ.URL.'")]
    [InlineData("add cmp action a1", "needs -cmpType")]
    [InlineData("add cmp action a1 -cmpType lzma", "expected")]
    [InlineData("add cmp policy ns_cmp_msapp -rule TRUE -resAction COMPRESS", "built-in")]
    [InlineData("rm cmp policy ns_cmp_msapp", "built-in")]
    [InlineData("set cmp parameter -cmpLevel fastest", "expected")]
    [InlineData("set cmp parameter -cmpBypassPct 101", "0 to 100")]
    [InlineData("add cmp policy p1 -rule TRUE -resAction COMPRESS\nbind cmp global p1 10 -type REQ_DEFAULT", "expected RES_OVERRIDE or RES_DEFAULT")]
    [InlineData("add cmp policy p1 -rule TRUE -resAction COMPRESS\nbind lb vserver web -policyName p1 -priority 1 -type REQUEST", "acts on the response")]
    [InlineData("add cmp policy p1 -rule TRUE -resAction COMPRESS\nbind responder global p1 10", "bind it with bind cmp global")]
    [InlineData("add cmp action a1 -cmpType gzip\nadd cmp policy p1 -rule TRUE -resAction a1\nrm cmp action a1", "used by cmp policy 'p1'")]
    [InlineData("enable ns feature CMP NOSUCH", "not a NetScaler feature")]
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
    public async Task Enable_ns_feature_without_CMP_stays_a_line_kept_without_effect_and_disable_turns_compression_off()
    {
        await using var host = await StartAsync("enable ns feature CMP");
        var kept = Assert.Single((await host.MustApplyAsync("enable ns feature WL LB")).Unsupported);
        Assert.True(kept.WithoutEffect, kept.Reason);
        Assert.Equal("gzip", (await GetAsync(host, "/page.html", "Accept-Encoding: gzip\r\n")).Field("Content-Encoding"));
        await host.MustApplyAsync("disable ns feature CMP");
        Assert.Null((await GetAsync(host, "/page.html", "Accept-Encoding: gzip\r\n")).Field("Content-Encoding"));
        Assert.Contains("DISABLED", (await host.MustApplyAsync("show cmp parameter")).Results.Single().ToText());
    }
}
