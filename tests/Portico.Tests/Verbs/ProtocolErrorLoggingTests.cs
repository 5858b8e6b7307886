using System.Net;
using System.Net.Sockets;
using System.Text;
using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary>
/// What a client's bad requests cost the log of a running <c>portico run</c>: a handful of short lines
/// however many it sends, every one counted on the vserver.
/// </summary>
public class ProtocolErrorLoggingTests
{
    private const int BadRequests = 1000;

    /// <summary>Five lines, a summary, perhaps a second window's five: a few KiB at most (it was 8 MB before).</summary>
    private const int MaxLogBytes = 8 * 1024;

    [Fact]
    public async Task A_thousand_broken_chunked_requests_write_a_bounded_log_without_stack_traces_and_are_counted()
    {
        await using var backend = await TestHttpServer.StartAsync("b1");
        await using var run = await StartAsync(backend);
        var before = run.Portico.Output.Length;

        var payload = Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
        for (var i = 0; i < BadRequests; i++)
        {
            Assert.StartsWith("HTTP/1.1 400", await SendAsync(run.Vip, payload), StringComparison.Ordinal);
        }

        Assert.True(await Eventually.TrueAsync(() => run.Portico.Output.Contains("suppressed", StringComparison.Ordinal), TimeSpan.FromSeconds(30)),
            run.Portico.Output);
        var written = Encoding.UTF8.GetByteCount(run.Portico.Output[before..]);
        Assert.True(written < MaxLogBytes, $"{written} log bytes for {BadRequests} bad requests:\n{run.Portico.Output[before..]}");
        Assert.DoesNotContain("   at ", run.Portico.Output, StringComparison.Ordinal);
        Assert.Contains("lb vserver web: client protocol error from 127.0.0.1:", run.Portico.Output, StringComparison.Ordinal);
        Assert.Contains(": refused with 400: chunk size missing", run.Portico.Output, StringComparison.Ordinal);

        // The 400 reaches the client before the error is counted: ask again until the last one is in (bounded).
        var expected = $"client protocol errors {BadRequests};";
        var deadline = DateTime.UtcNow + Eventually.Timeout;
        var (code, stat) = await PorticoProcess.RunAsync(["cli", "--admin-socket", run.Socket, "-c", "stat lb vserver web"]);
        while (!stat.Contains(expected, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            (code, stat) = await PorticoProcess.RunAsync(["cli", "--admin-socket", run.Socket, "-c", "stat lb vserver web"]);
        }

        Assert.True(code == 0, stat);
        Assert.Contains(expected, stat);
        Assert.Contains("502 (bad gateway) 0,", stat);
    }

    [Fact]
    public async Task A_connect_request_is_refused_with_405_counted_and_logged_in_one_line()
    {
        await using var backend = await TestHttpServer.StartAsync("b1");
        await using var run = await StartAsync(backend);

        var answer = await SendAsync(run.Vip, Encoding.ASCII.GetBytes("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 405", answer, StringComparison.Ordinal);
        Assert.True(await run.Portico.WaitForOutputAsync("CONNECT refused (405): a vserver is not a forward proxy", TimeSpan.FromSeconds(30)), run.Portico.Output);
        Assert.DoesNotContain("   at ", run.Portico.Output, StringComparison.Ordinal);
        Assert.Equal(0, backend.Requests);

        var (_, stat) = await PorticoProcess.RunAsync(["cli", "--admin-socket", run.Socket, "-c", "stat lb vserver web"]);
        Assert.Contains("client protocol errors 1;", stat);
        Assert.Contains("502 (bad gateway) 0,", stat);
    }

    private static async Task<Running> StartAsync(TestHttpServer backend)
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var config = Path.Combine(dir, "p.conf");
        var port = Ports.Free();
        await File.WriteAllTextAsync(config, $"add service s1 127.0.0.1 HTTP {backend.Port}\nadd lb vserver web HTTP 127.0.0.1 {port}\nbind lb vserver web s1\n");
        var socket = Path.Combine(dir, "admin.sock");
        var portico = PorticoProcess.Start("run", "--config", config, "--admin-socket", socket, "--admin-http", "none", "--log-dir", dir);
        Assert.True(await portico.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), portico.Output);
        return new Running(portico, socket, new IPEndPoint(IPAddress.Loopback, port));
    }

    /// <summary>One request on its own connection; the answer's first bytes.</summary>
    private static async Task<string> SendAsync(IPEndPoint vip, byte[] payload)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(vip);
        var stream = client.GetStream();
        await stream.WriteAsync(payload);
        var buffer = new byte[512];
        var n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    private sealed record Running(PorticoProcess Portico, string Socket, IPEndPoint Vip) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Portico.DisposeAsync();
    }
}
