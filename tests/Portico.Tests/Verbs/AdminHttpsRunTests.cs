using System.Diagnostics;
using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary>
/// <c>portico run --admin-https ADDRESS:PORT --admin-cert FILE --admin-key FILE</c>, as an operator starts it: curl,
/// given the certificate as its CA file, logs into NITRO over TLS; bad options stop the start with a clear line.
/// </summary>
public sealed class AdminHttpsRunTests
{
    [Fact]
    public async Task Curl_logs_into_nitro_over_the_admin_https_listener_and_reads_config()
    {
        Assert.True(File.Exists("/usr/bin/curl"), "curl is missing: apt-get install curl (.ci/run does)");
        var dir = Directory.CreateTempSubdirectory("portico-admin-https-").FullName;
        var (cert, key, _) = TestCertificates.Create(dir, "admin", "portico.example");
        var socket = Path.Combine(dir, "admin.sock");
        var port = Ports.Free();
        var config = Path.Combine(dir, "portico.conf");
        await File.WriteAllTextAsync(config, "add server web1 192.0.2.10\n");
        await using var portico = PorticoProcess.Start("run", "-f", config, "--log-dir", dir, "--admin-socket", socket,
            "--admin-http", "none", "--admin-https", $"127.0.0.1:{port}", "--admin-cert", cert, "--admin-key", key);
        Assert.True(await portico.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), portico.Output);
        Assert.Contains($"Admin HTTPS on https://127.0.0.1:{port} (certificate CN=portico.example", portico.Output, StringComparison.Ordinal);

        var (added, addedText) = await PorticoProcess.RunAsync(["cli", "--admin-socket", socket, "-c",
            "add system user ops 'ops password 1'\nbind system user ops -policyName read-only 0"]);
        Assert.True(added == 0, addedText);

        var jar = Path.Combine(dir, "cookies");
        string[] tls = ["-sS", "--cacert", cert, "--resolve", $"portico.example:{port}:127.0.0.1", "-c", jar, "-b", jar, "-w", "\n%{http_code}"];
        var login = await CurlAsync([.. tls, "-X", "POST", "-H", "Content-Type: application/json",
            "-d", """{"login":{"username":"ops","password":"ops password 1"}}""", $"https://portico.example:{port}/nitro/v1/config/login"]);
        Assert.EndsWith("\n201", login, StringComparison.Ordinal);
        Assert.Contains("\"sessionid\"", login, StringComparison.Ordinal);

        var read = await CurlAsync([.. tls, $"https://portico.example:{port}/nitro/v1/config/server/web1"]);
        Assert.EndsWith("\n200", read, StringComparison.Ordinal);
        Assert.Contains("\"ipaddress\":\"192.0.2.10\"", read, StringComparison.Ordinal);

        // Without the CA file curl refuses the handshake: the listener is TLS, never a plain fallback.
        var untrusted = await CurlAsync(["-sS", "--resolve", $"portico.example:{port}:127.0.0.1", $"https://portico.example:{port}/nitro/v1/config/server"], expectSuccess: false);
        Assert.Contains("certificate", untrusted, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("--admin-http", "0.0.0.0:9190", "is not a loopback address: plain HTTP would carry NITRO passwords")]
    [InlineData("--admin-https", "127.0.0.1:9443", "--admin-https needs --admin-cert FILE")]
    [InlineData("--admin-cert", "/nonexistent/admin.pem", "--admin-cert and --admin-key are for --admin-https ADDRESS:PORT, which is missing")]
    public async Task A_bad_admin_listener_option_stops_the_start_with_one_clear_line(string option, string value, string message)
    {
        var dir = Directory.CreateTempSubdirectory("portico-admin-https-").FullName;
        var (code, output) = await PorticoProcess.RunAsync(["run", "--log-dir", dir, "--admin-socket", Path.Combine(dir, "admin.sock"), option, value]);
        Assert.Equal(2, code);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    private static async Task<string> CurlAsync(string[] args, bool expectSuccess = true)
    {
        var psi = new ProcessStartInfo("curl", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var curl = Process.Start(psi)!;
        var output = curl.StandardOutput.ReadToEndAsync();
        var error = curl.StandardError.ReadToEndAsync();
        await curl.WaitForExitAsync().WaitAsync(Eventually.Timeout);
        Assert.True(expectSuccess == (curl.ExitCode == 0), $"curl {string.Join(' ', args)}: exit {curl.ExitCode}\n{await output}\n{await error}");
        return (await output) + (await error);
    }
}
