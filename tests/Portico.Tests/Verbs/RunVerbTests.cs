using System.Net;
using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary><c>portico run</c> as a newcomer runs it: no arguments, the demo answers on 127.0.0.1:8080.</summary>
[Collection(EmbeddedDemo.Collection)]
public class RunVerbTests
{
    [Fact]
    public async Task The_embedded_default_balances_the_demo_backends_and_stops_cleanly_on_ctrl_c()
    {
        var socket = Path.Combine(Directory.CreateTempSubdirectory().FullName, "admin.sock");
        await using var portico = PorticoProcess.Start("run", "--admin-socket", socket);
        Assert.True(await portico.WaitForOutputAsync("curl http://127.0.0.1:8080/", TimeSpan.FromSeconds(30)), portico.Output);

        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, MaxConnectionsPerServer = 1 });
        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:8080/") { Headers = { ConnectionClose = true } };
            using var response = await http.SendAsync(request);
            answers.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(2, answers.Count(a => a.StartsWith("Hello from demo backend 1", StringComparison.Ordinal)));
        Assert.Equal(2, answers.Count(a => a.StartsWith("Hello from demo backend 2", StringComparison.Ordinal)));

        var (code, shown) = await PorticoProcess.RunAsync(["cli", "--admin-socket", socket, "-c", "stat lb vserver demo_tcp"]);
        Assert.True(code == 0, shown);
        Assert.Contains("demo_tcp_1", shown);

        portico.Interrupt();
        await portico.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, portico.ExitCode);
        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task The_embedded_default_balances_http_requests_with_curl_on_8081()
    {
        var socket = Path.Combine(Directory.CreateTempSubdirectory().FullName, "admin.sock");
        await using var portico = PorticoProcess.Start("run", "--admin-socket", socket);
        Assert.True(await portico.WaitForOutputAsync("curl http://127.0.0.1:8081/", TimeSpan.FromSeconds(30)), portico.Output);
        Assert.Contains("HTTP vserver demo_http: listening on 127.0.0.1:8081", portico.Output);

        // One curl, four requests on one kept-alive connection: the backends still take turns.
        var psi = new System.Diagnostics.ProcessStartInfo("curl", ["-sS", "--max-time", "20", "http://127.0.0.1:8081/a", "http://127.0.0.1:8081/b",
            "http://127.0.0.1:8081/c", "http://127.0.0.1:8081/d"]) { RedirectStandardOutput = true };
        using var curl = System.Diagnostics.Process.Start(psi)!;
        var lines = (await curl.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await curl.WaitForExitAsync();
        Assert.Equal(0, curl.ExitCode);
        Assert.Equal(["Hello from demo backend 1 (127.0.0.1:9001): GET /a", "Hello from demo backend 2 (127.0.0.1:9002): GET /b",
            "Hello from demo backend 1 (127.0.0.1:9001): GET /c", "Hello from demo backend 2 (127.0.0.1:9002): GET /d"], lines);

        var (code, shown) = await PorticoProcess.RunAsync(["cli", "--admin-socket", socket, "-c", "stat lb vserver demo_http"]);
        Assert.True(code == 0, shown);
        Assert.Contains("demo_http_2", shown);
        portico.Interrupt();
        await portico.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, portico.ExitCode);
    }

    [Fact]
    public async Task A_bad_config_file_stops_the_start_with_the_line_and_column()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var path = Path.Combine(dir, "bad.conf");
        await File.WriteAllTextAsync(path, "add lb vserver v TCP 127.0.0.1 18081\nbind lb vserver v ghost\n");
        var (code, text) = await PorticoProcess.RunAsync(["run", "--config", path, "--admin-socket", Path.Combine(dir, "a.sock")]);
        Assert.Equal(2, code);
        Assert.Contains("bad.conf has errors; Portico did not start", text);
        Assert.Contains("line 2, column 19: 'ghost'", text);
    }

    [Fact]
    public async Task An_access_log_that_cannot_be_opened_stops_the_start_naming_the_file()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var path = Path.Combine(dir, "ok.conf");
        await File.WriteAllTextAsync(path, "add server s1 127.0.0.1\n");
        var log = Path.Combine(dir, "missing", "access.log");
        var (code, text) = await PorticoProcess.RunAsync(["run", "--config", path, "--admin-socket", Path.Combine(dir, "a.sock"), "--admin-http", "none",
            "--access-log", log]);
        Assert.Equal(2, code);
        Assert.Contains(log, text);
        Assert.DoesNotContain("   at ", text);
    }

    [Fact]
    public async Task The_cli_takes_a_batch_on_standard_input_all_or_nothing()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var path = Path.Combine(dir, "p.conf");
        await File.WriteAllTextAsync(path, "");
        var socket = Path.Combine(dir, "a.sock");
        await using var portico = PorticoProcess.Start("run", "--config", path, "--admin-socket", socket);
        Assert.True(await portico.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), portico.Output);

        var lines = string.Concat(Enumerable.Range(1, 2000).Select(i => $"add server s{i} 10.1.{i / 250}.{i % 250 + 1}\n"));
        var (bad, badText) = await PorticoProcess.RunAsync(["cli", "--admin-socket", socket], lines + "add server broken 10.0.0.999\n");
        Assert.Equal(1, bad);
        Assert.Contains("line 2001", badText);
        var (good, goodText) = await PorticoProcess.RunAsync(["cli", "--admin-socket", socket], lines);
        Assert.True(good == 0, goodText);
        var (_, shown) = await PorticoProcess.RunAsync(["cli", "--admin-socket", socket, "-c", "show server s2000"]);
        Assert.Contains(IPAddress.Parse("10.1.8.1").ToString(), shown);
    }
}
