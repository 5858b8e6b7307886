using System.Net;
using System.Net.Sockets;
using Portico.Scenarios.Lab;
using Portico.Testing;

namespace Portico.Scenarios.Http;

/// <summary>
/// The seed post's farm: three real Apache servers with <c>FileETag INode MTime Size</c> serve the same files (same
/// bytes, same modification time, different inodes), so each gives its own ETag. Through a NORMALIZE vserver every
/// member's tag becomes one, and curl revalidating with it gets 304 whichever member it reaches; a STRIP vserver
/// sends no ETag and still answers If-Modified-Since; -expires puts max-age and Expires on css and js, never on a
/// no-store response.
/// </summary>
public sealed class ApacheFarmETagTests : IAsyncLifetime
{
    private const int Members = 3;
    private static readonly DateTime Mtime = new(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc);
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-apache-").FullName;
    private readonly List<LabProcess> _apaches = [];
    private readonly List<int> _ports = [];
    private PorticoHost? _host;

    public async Task InitializeAsync()
    {
        InteropTools.Require(InteropTools.Apache, "apache2");
        InteropTools.Require(InteropTools.Curl, "curl");
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED);
        for (var i = 0; i < Members; i++)
        {
            var port = Ports.Free();
            _ports.Add(port);
            _apaches.Add(await StartApacheAsync(i, port));
        }

        var services = string.Join("\n", _ports.Select((p, i) => $"add service a{i} 127.0.0.1 HTTP {p}"));
        var binds = string.Join("\n", _ports.Select((_, i) => $"bind lb vserver norm a{i}\nbind lb vserver strip a{i}\nbind lb vserver plain a{i}"));
        _host = await PorticoHost.StartAsync($"""
            add ns httpProfile farm -eTag NORMALIZE -expires "text/css=1y,text/javascript=1y,application/javascript=1y"
            add ns httpProfile noTags -eTag STRIP
            {services}
            add lb vserver norm HTTP 127.0.0.1 {Ports.Free()} -lbMethod ROUNDROBIN -httpProfileName farm
            add lb vserver strip HTTP 127.0.0.1 {Ports.Free()} -lbMethod ROUNDROBIN -httpProfileName noTags
            add lb vserver plain HTTP 127.0.0.1 {Ports.Free()} -lbMethod ROUNDROBIN
            add lb vserver long HTTP 127.0.0.1 {Ports.Free()}
            {binds}
            bind lb vserver long a0
            add rewrite action cc_year insert_http_header Cache-Control "\"max-age=31536000\""
            add rewrite policy css_year "HTTP.RES.HEADER(\"Content-Type\").CONTAINS(\"text/css\")" cc_year
            bind lb vserver long -policyName css_year -priority 10 -type RESPONSE
            """);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        foreach (var apache in _apaches)
        {
            apache.Dispose();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Every_members_etag_becomes_one_and_revalidation_gets_304_from_any_member()
    {
        // The farm problem is real: each member's tag for the same file differs (the inode), also through a plain vserver.
        var direct = new HashSet<string>();
        foreach (var port in _ports)
        {
            direct.Add((await CurlAsync($"http://127.0.0.1:{port}/site.css")).Fields["ETag"]);
        }

        Assert.Equal(Members, direct.Count);
        var plain = new HashSet<string>();
        for (var i = 0; i < Members * 2; i++)
        {
            plain.Add((await CurlAsync(Url("plain", "/site.css"))).Fields["ETag"]);
        }

        Assert.Equal(Members, plain.Count);

        // Through NORMALIZE: one tag, Apache's without its inode part.
        var tags = new HashSet<string>();
        for (var i = 0; i < Members * 2; i++)
        {
            var r = await CurlAsync(Url("norm", "/site.css"));
            Assert.Equal(200, r.Status);
            Assert.Equal(Css.Length, r.Size);
            tags.Add(r.Fields["ETag"]);
        }

        var tag = Assert.Single(tags);
        Assert.All(direct, d => Assert.EndsWith(tag.Trim('"') + "\"", d, StringComparison.Ordinal));

        // Revalidation: 304 from whichever member the round robin picks, with the fields a cache needs, no body.
        foreach (var ifNoneMatch in new[] { tag, "W/" + tag, $"\"old\", {tag}" })
        {
            for (var i = 0; i < Members; i++)
            {
                var r = await CurlAsync(Url("norm", "/site.css"), "-H", $"If-None-Match: {ifNoneMatch}");
                Assert.True(r.Status == 304, $"If-None-Match: {ifNoneMatch}, request {i}: {r.Status}\n{r.Head}");
                Assert.Equal(0, r.Size);
                Assert.Equal(tag, r.Fields["ETag"]);
                Assert.Equal("max-age=31536000", r.Fields["Cache-Control"]);
                Assert.True(r.Fields.ContainsKey("Expires") && r.Fields.ContainsKey("Date"), r.Head);
                Assert.False(r.Fields.ContainsKey("Content-Type") || r.Fields.ContainsKey("Content-Length"), r.Head);
            }
        }

        // A tag the object no longer has gets the whole object; so does HEAD's 304 come without a body.
        var stale = await CurlAsync(Url("norm", "/site.css"), "-H", "If-None-Match: \"2a-10-5e1f0a2b3c4d5\"");
        Assert.Equal(200, stale.Status);
        Assert.Equal(Css.Length, stale.Size);
        var head = await CurlAsync(Url("norm", "/site.css"), "-I", "-H", $"If-None-Match: {tag}");
        Assert.Equal(304, head.Status);
    }

    [Fact]
    public async Task If_modified_since_is_answered_too_and_overridden_by_if_none_match()
    {
        var lastModified = Validation.HttpDate.Format(Mtime);
        for (var i = 0; i < Members; i++)
        {
            var r = await CurlAsync(Url("norm", "/site.css"), "-H", $"If-Modified-Since: {lastModified}");
            Assert.Equal(304, r.Status);
        }

        // RFC 9110 section 13.2.2: with If-None-Match present the date is ignored, so a stale tag gets the object.
        var both = await CurlAsync(Url("norm", "/site.css"), "-H", $"If-Modified-Since: {lastModified}", "-H", "If-None-Match: \"old\"");
        Assert.Equal(200, both.Status);
    }

    [Fact]
    public async Task Strip_removes_the_etag_and_last_modified_still_revalidates()
    {
        var r = await CurlAsync(Url("strip", "/site.css"));
        Assert.Equal(200, r.Status);
        Assert.False(r.Fields.ContainsKey("ETag"), r.Head);
        Assert.False(r.Fields.ContainsKey("Cache-Control"), r.Head);
        for (var i = 0; i < Members; i++)
        {
            var again = await CurlAsync(Url("strip", "/site.css"), "-H", $"If-Modified-Since: {r.Fields["Last-Modified"]}");
            Assert.Equal(304, again.Status);
            Assert.False(again.Fields.ContainsKey("ETag"), again.Head);
        }

        // A member's tag a client kept from before is not Portico's: the client gets the object.
        var old = await CurlAsync(Url("strip", "/site.css"), "-H", "If-None-Match: \"b1e3ff-10-661d36e2aa4a5\"");
        Assert.Equal(200, old.Status);
    }

    [Fact]
    public async Task Expiry_goes_on_css_and_js_and_never_on_no_store_or_other_types()
    {
        foreach (var path in new[] { "/site.css", "/app.js" })
        {
            var r = await CurlAsync(Url("norm", path));
            Assert.Equal(200, r.Status);
            Assert.Equal("max-age=31536000", r.Fields["Cache-Control"]);
            Assert.True(Validation.HttpDate.TryParse(r.Fields["Expires"], DateTimeOffset.UtcNow, out var expires), r.Head);
            Assert.InRange(expires, DateTimeOffset.UtcNow.AddDays(364), DateTimeOffset.UtcNow.AddDays(366));
        }

        var noStore = await CurlAsync(Url("norm", "/nostore.css"));
        Assert.Equal("no-store", noStore.Fields["Cache-Control"]);
        Assert.False(noStore.Fields.ContainsKey("Expires"), noStore.Head);
        var text = await CurlAsync(Url("norm", "/page.html"));
        Assert.False(text.Fields.ContainsKey("Cache-Control") || text.Fields.ContainsKey("Expires"), text.Head);
        var plain = await CurlAsync(Url("plain", "/site.css"));
        Assert.False(plain.Fields.ContainsKey("Cache-Control") || plain.Fields.ContainsKey("Expires"), plain.Head);

        // The long form, a rewrite policy on the response, as the reference documents it.
        Assert.Equal("max-age=31536000", (await CurlAsync(Url("long", "/site.css"))).Fields["Cache-Control"]);
        Assert.False((await CurlAsync(Url("long", "/app.js"))).Fields.ContainsKey("Cache-Control"));
    }

    private const string Css = "body { color: #333; }\n";

    private string Url(string vserver, string path) => $"http://{_host!.EndPointOf(vserver)}{path}";

    private static async Task<(int Status, long Size, Dictionary<string, string> Fields, string Head)> CurlAsync(string url, params string[] args)
    {
        var (code, output, error) = await InteropTools.RunAsync(InteropTools.Curl, ["-s", "-o", "/dev/null", "-D", "-", "-w", "size=%{size_download}\n", .. args, url]);
        Assert.True(code == 0, InteropTools.Describe(code, output, error));
        var lines = output.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).TakeWhile(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            fields[line[..colon]] = line[(colon + 1)..].Trim();
        }

        var size = long.Parse(output[(output.LastIndexOf("size=", StringComparison.Ordinal) + 5)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        return (status, size, fields, output);
    }

    /// <summary>One Apache with its own copy of the files: the same bytes and modification time, another inode.</summary>
    private async Task<LabProcess> StartApacheAsync(int index, int port)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, $"a{index}")).FullName;
        var root = Directory.CreateDirectory(Path.Combine(dir, "www")).FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0x1ED);
        File.SetUnixFileMode(root, (UnixFileMode)0x1ED);

        // Padding files make the inodes of the members' copies differ even on a file system that reuses them in order.
        for (var p = 0; p < index; p++)
        {
            await File.WriteAllTextAsync(Path.Combine(root, $"pad{p}.txt"), "pad");
        }

        foreach (var (name, content) in new[] { ("site.css", Css), ("app.js", "console.log(1);\n"), ("nostore.css", Css), ("page.html", "<p>hi</p>\n") })
        {
            var path = Path.Combine(root, name);
            await File.WriteAllTextAsync(path, content);
            File.SetLastWriteTimeUtc(path, Mtime);
        }

        var conf = Path.Combine(dir, "httpd.conf");
        await File.WriteAllTextAsync(conf, $$"""
            ServerRoot {{dir}}
            DefaultRuntimeDir {{dir}}
            PidFile {{dir}}/httpd.pid
            LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
            LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
            LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
            LoadModule headers_module /usr/lib/apache2/modules/mod_headers.so
            User www-data
            Group www-data
            Listen 127.0.0.1:{{port}}
            ServerName localhost
            ErrorLog {{dir}}/error.log
            DocumentRoot {{root}}
            TypesConfig /etc/mime.types
            StartServers 1
            FileETag INode MTime Size
            <Directory {{root}}>
              Require all granted
            </Directory>
            <Files "nostore.css">
              Header set Cache-Control "no-store"
            </Files>
            """);
        var apache = new LabProcess(InteropTools.Apache, ["-f", conf, "-DFOREGROUND"]);
        if (!await Eventually.TrueAsync(() => apache.HasExited || Ports.Listening(port), Eventually.Timeout) || apache.HasExited)
        {
            var output = apache.Output;
            apache.Dispose();
            throw new InvalidOperationException($"apache2 did not listen on {port}:\n{output}\n{(File.Exists(Path.Combine(dir, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(dir, "error.log")) : "")}");
        }

        return apache;
    }
}
