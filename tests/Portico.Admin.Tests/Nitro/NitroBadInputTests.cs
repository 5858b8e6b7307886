using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portico.Admin.Tests.Nitro;

/// <summary>
/// The CVE-2019-19781 surface: traversal in names and paths (plain, encoded, double-encoded), oversized and deep
/// bodies, wrong types, unknown attributes, injection through values. Each answer is a NITRO error and nothing changes.
/// </summary>
public sealed class NitroBadInputTests
{
    public static TheoryData<string> Traversals => new()
    {
        "/nitro/v1/config/lbvserver/..%2f..%2fetc%2fpasswd",
        "/nitro/v1/config/lbvserver/%2e%2e",
        "/nitro/v1/config/lbvserver/..%252f..%252fetc",
        "/nitro/v1/config/lbvserver/%252e%252e%252f",
        "/nitro/v1/config/..%2fstat/lbvserver",
        "/nitro/v1/config/lbvserver/a%5c..%5cb",
        "/nitro/v1/config/lbvserver/%00",
        "/nitro/v1/config/lbvserver/v1/extra",
        "/nitro/v1/config/../../vpns/portal/scripts/newbm.pl",
        "/nitro/v1/../v1/config/lbvserver",
        "/nitro/v2/config/lbvserver",
        "/nitro/v1/other/lbvserver",
        "/nitro/v1/config/",
    };

    [Theory]
    [MemberData(nameof(Traversals))]
    public async Task A_path_that_is_not_exactly_a_resource_is_refused_before_anything_reads_it(string path)
    {
        await using var f = await NitroFixture.StartAsync();
        await f.LoginAsync();
        var before = f.Host.Engine.Store.Current;

        // Sent raw so no client library normalises the dots or the escapes on the way.
        var (status, body) = await Raw(f, $"DELETE {path} HTTP/1.1\r\nHost: x\r\nCookie: NITRO_AUTH_TOKEN={f.Token}\r\nContent-Length: 0\r\n\r\n");
        Assert.True(status is 400 or 404, $"{path}: {status} {body}");
        if (status == 400 && body.Length > 0)
        {
            Assert.Contains("\"severity\":\"ERROR\"", body, StringComparison.Ordinal);
        }

        Assert.Same(before, f.Host.Engine.Store.Current);
    }

    [Fact]
    public async Task Oversized_deep_and_mistyped_bodies_and_unknown_attributes_get_nitro_errors_naming_the_attribute()
    {
        await using var f = await NitroFixture.StartAsync();
        await f.LoginAsync();
        var before = f.Host.Engine.Store.Current;

        var big = "{\"server\":{\"name\":\"" + new string('a', 1024 * 1024) + "\"}}";
        var (status, _, _) = await f.SendAsync(HttpMethod.Post, "/nitro/v1/config/server", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);

        var deep = "{\"server\":" + string.Concat(Enumerable.Repeat("{\"a\":", 50)) + "1" + new string('}', 51);
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", deep, HttpStatusCode.BadRequest, 1, "Invalid JSON");
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", "{\"server\":", HttpStatusCode.BadRequest, 1, "Invalid JSON");
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", "[1,2]", HttpStatusCode.BadRequest, 1, "must be a JSON object");
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", """{"server":{"name":"x","ipaddress":"10.0.0.9","colour":"red"}}""",
            HttpStatusCode.BadRequest, 1092, "Invalid argument [colour]");
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", """{"server":{"name":"x","ipaddress":{"a":1}}}""",
            HttpStatusCode.BadRequest, 1075, "Invalid value [ipaddress, expected a string, number or boolean");
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", """{"server":{"name":"x"}}""", HttpStatusCode.BadRequest, 1095, "Required argument missing [ipaddress]");
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/lbvserver", """{"lbvserver":{"name":"x","servicetype":"HTTP","ipv46":"127.0.0.1","port":"eighty"}}""",
            HttpStatusCode.BadRequest, 1075, "eighty");

        // A value cannot end the command line and start another one, nor pass as an option.
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", """{"server":{"name":"x","ipaddress":"10.0.0.9\nadd system user evil evil-password"}}""",
            HttpStatusCode.BadRequest, 1075, "control characters");
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", """{"server":{"name":"-x","ipaddress":"10.0.0.9"}}""", HttpStatusCode.BadRequest, 1075, "-x");
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", """{"server":{"name":"../../etc","ipaddress":"10.0.0.9"}}""", HttpStatusCode.BadRequest, 1075, "../../etc");

        Assert.Same(before, f.Host.Engine.Store.Current);
        Assert.Single(f.Host.Engine.Store.Current.Servers);
    }

    private static async Task<(int Status, string Body)> Raw(NitroFixture f, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(f.Http.BaseAddress!.Host, f.Http.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var statusLine = await reader.ReadLineAsync() ?? "";
        var length = 0;
        while (await reader.ReadLineAsync() is { Length: > 0 } header)
        {
            if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var buffer = new char[length];
        var read = 0;
        while (read < length && await reader.ReadAsync(buffer.AsMemory(read)) is > 0 and var n)
        {
            read += n;
        }

        return (int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), new string(buffer, 0, read));
    }
}
