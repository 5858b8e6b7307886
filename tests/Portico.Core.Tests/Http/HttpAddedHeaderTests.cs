using System.Net.Sockets;
using System.Text;

namespace Portico.Core.Tests.Http;

/// <summary>
/// The exact header set a server receives: Portico adds Host's companions X-Forwarded-For and
/// X-Forwarded-Proto and nothing else unless configured (no traceparent, no X-Content-Length).
/// </summary>
public class HttpAddedHeaderTests
{
    [Fact]
    public async Task A_plain_request_reaches_the_server_with_only_the_forwarded_headers_added()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        var seen = await SendRawAsync(setup, "GET /headers HTTP/1.1\r\nHost: www.example.test\r\nConnection: close\r\n\r\n");
        Assert.Equal(["host: www.example.test", "x-forwarded-for: 127.0.0.1", "x-forwarded-proto: http"], seen);
    }

    [Fact]
    public async Task A_clients_own_traceparent_passes_unchanged()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        const string Trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var seen = await SendRawAsync(setup, $"GET /headers HTTP/1.1\r\nHost: h\r\ntraceparent: {Trace}\r\nConnection: close\r\n\r\n");
        Assert.Equal(["host: h", $"traceparent: {Trace}", "x-forwarded-for: 127.0.0.1", "x-forwarded-proto: http"], seen);
    }

    [Fact]
    public async Task A_chunked_request_reaches_the_server_chunked_with_the_client_framing_headers_gone()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        var seen = await SendRawAsync(setup,
            "POST /headers HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5;ext=1\r\nhello\r\n0\r\n\r\n");
        Assert.Equal(["host: h", "transfer-encoding: chunked", "x-forwarded-for: 127.0.0.1", "x-forwarded-proto: http"], seen);
    }

    /// <summary>RFC 9112 section 6.1: a message with both framings is ambiguous; Portico refuses it rather than guess.</summary>
    [Fact]
    public async Task A_chunked_request_with_a_content_length_is_refused_with_400_and_never_reaches_the_server()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        using var client = new TcpClient();
        await client.ConnectAsync(setup.Vip);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /headers HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("Connection: close", response, StringComparison.Ordinal);
        Assert.Equal(0, setup.Backends[0].Requests);
        Assert.Equal(1, Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.ClientProtocolErrors));
    }

    /// <summary>The header lines the test backend echoed (sorted, lower-case), from one raw request.</summary>
    private static async Task<string[]> SendRawAsync(HttpSetup setup, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(setup.Vip);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        if (response.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }

    private static string Dechunk(string body)
    {
        var text = new StringBuilder();
        var at = 0;
        while (true)
        {
            var end = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[at..end], 16);
            if (size == 0)
            {
                return text.ToString();
            }

            text.Append(body, end + 2, size);
            at = end + 2 + size + 2;
        }
    }
}
