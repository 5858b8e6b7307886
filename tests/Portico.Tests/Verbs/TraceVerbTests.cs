using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary>
/// <c>portico trace</c> as an operator runs it: against the running Portico (a wire capture of an SSL vserver
/// that tshark decrypts with the secrets from <c>--tls-keylog</c>), standalone, and without the rights to capture.
/// </summary>
public sealed class TraceVerbTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-trace-verb-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_trace_of_the_running_portico_with_ssl_keys_lets_tshark_decrypt_the_wire()
    {
        await using var backend = await TestHttpServer.StartAsync("b1");
        var cert = TestCertificates.Create(_dir, "a", "a.test");
        var port = Ports.Free();
        var config = Path.Combine(_dir, "ns.conf");
        await File.WriteAllTextAsync(config, $"""
            add service s1 127.0.0.1 HTTP {backend.Port}
            add lb vserver web SSL 127.0.0.1 {port}
            bind lb vserver web s1
            add ssl certKey a -cert {cert.CertPath} -key {cert.KeyPath}
            bind ssl vserver web -certkeyName a
            """);
        var socket = Path.Combine(_dir, "admin.sock");
        var traces = Path.Combine(_dir, "traces");
        await using var portico = PorticoProcess.Start("run", "--config", config, "--admin-socket", socket,
            "--trace-dir", traces, "--tls-keylog", Path.Combine(_dir, "keys.log"));
        // "Portico is running" comes after the admin socket listens; a vserver listening comes before it.
        Assert.True(await portico.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), portico.Output);

        await using var trace = PorticoProcess.Start("trace", "--admin-socket", socket, "--vserver", "web", "--size", "0", "--ssl-keys", "--name", "keys", "--seconds", "4");
        Assert.True(await trace.WaitForOutputAsync("Capturing for 4 s", TimeSpan.FromSeconds(30)), trace.Output);
        Assert.Contains("Trace keys started: wire capture on lo", trace.Output);
        Assert.Equal("b1", await CurlAsync("--http1.1", "--cacert", cert.CertPath, "--resolve", $"a.test:{port}:127.0.0.1", $"https://a.test:{port}/decrypt-me-77"));

        await trace.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(trace.ExitCode == 0, trace.Output);
        Assert.Contains("Trace keys stopped", trace.Output);
        Assert.Contains("Open with: wireshark ", trace.Output);
        var file = Assert.Single(Directory.GetFiles(traces, "keys_001_*.pcapng"));
        Assert.Contains(file, trace.Output);

        // The wire holds TLS only; with the secrets the file carries (moved to its head), tshark reads the HTTP inside.
        Assert.Empty(await Tshark.FieldsAsync(file, "frame contains \"decrypt-me-77\"", "frame.number"));
        var decrypted = await Tshark.FieldsAsync(file, "http.request", "tcp.dstport", "http.request.uri");
        Assert.Contains([port.ToString(), "/decrypt-me-77"], decrypted);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "keys.log")));

        var (code, shown) = await PorticoProcess.RunAsync(["cli", "--admin-socket", socket, "-c", "show nstrace"]);
        Assert.True(code == 0, shown);
        Assert.Contains("keys: stopped: stop nstrace", shown);
        portico.Interrupt();
        await portico.WaitForExitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Standalone_it_captures_without_a_running_portico_and_names_the_file()
    {
        await using var server = TestTcpServer.Start("b1");
        var traces = Path.Combine(_dir, "standalone");
        await using var trace = PorticoProcess.Start("trace", "--standalone", "--interface", "lo", "--filter", $"tcp port {server.Port}", "--size", "0",
            "--dir", traces, "--seconds", "3");
        Assert.True(await trace.WaitForOutputAsync("Capturing for 3 s", TimeSpan.FromSeconds(30)), trace.Output);
        var (socket, _) = await TestClient.ConnectAndGreetAsync(server.EndPoint);
        using (socket)
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("standalone-bytes"));
            socket.Shutdown(SocketShutdown.Send);
            await TestClient.ReadToEndAsync(socket);
        }

        await trace.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(trace.ExitCode == 0, trace.Output);
        var file = Assert.Single(Directory.GetFiles(traces));
        Assert.Contains(file, trace.Output);
        Assert.Equal(2, (await Tshark.FieldsAsync(file, "frame contains \"standalone-bytes\"", "frame.number")).Count);
    }

    [Fact]
    public async Task Without_a_running_portico_or_the_rights_to_capture_it_says_what_to_do()
    {
        var (code, output) = await PorticoProcess.RunAsync(["trace", "--admin-socket", Path.Combine(_dir, "none.sock"), "--vserver", "web"]);
        Assert.Equal(3, code);
        Assert.Contains("portico trace --standalone", output);

        // As an unprivileged user (nobody), libpcap cannot open the interface: the message gives the fix.
        var psi = new ProcessStartInfo("setpriv", ["--reuid", "65534", "--regid", "65534", "--clear-groups", "env", $"HOME={_dir}", $"DOTNET_CLI_HOME={_dir}",
            "dotnet", PorticoProcess.Dll, "trace", "--standalone", "--interface", "lo", "--seconds", "1", "--dir", Path.Combine(_dir, "nobody")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("capturing on lo needs root or the CAP_NET_RAW and CAP_NET_ADMIN capabilities", await stderr);
        Assert.Contains("setcap cap_net_raw,cap_net_admin=eip", await stderr);
    }

    private static async Task<string> CurlAsync(params string[] args)
    {
        using var curl = Process.Start(new ProcessStartInfo("curl", ["-sS", "--max-time", "20", .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        Assert.True(curl.ExitCode == 0, await curl.StandardError.ReadToEndAsync());
        return output;
    }
}
