using System.Diagnostics;
using Portico.Testing;

namespace Portico.Tests.Health;

/// <summary>Monitors as an operator meets them through the real executable.</summary>
[Collection(Verbs.EmbeddedDemo.Collection)]
public class MonitorVerbTests
{
    [Fact]
    public async Task A_ping_monitor_where_the_process_may_not_send_icmp_is_refused_with_how_to_fix_it()
    {
        // setpriv (util-linux, in .ci/run) drops CAP_NET_RAW from the bounding set: root without it cannot open raw sockets.
        Assert.True(File.Exists("/usr/bin/setpriv"), "setpriv (util-linux) is needed to run Portico without CAP_NET_RAW");
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portico.conf");
        await File.WriteAllTextAsync(path, "add lb monitor p PING\nadd service s 127.0.0.1 TCP 80\nbind service s -monitorName ping\n");
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--bounding-set=-net_raw", "dotnet", PorticoProcess.Dll, "config", "check", path })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("line 1, column 18: 'PING': PING monitors send ICMP echo requests, which needs a raw socket", output);
        Assert.Contains("CAP_NET_RAW", output);
        Assert.Contains("line 3, column 29: 'ping'", output);

        // With the capability, the same file is fine.
        var (code, text) = await PorticoProcess.RunAsync(["config", "check", path]);
        Assert.True(code == 0, text);
    }

    [Fact]
    public async Task The_demo_shows_its_monitor_and_services_up_with_probe_counts()
    {
        var socket = Path.Combine(Directory.CreateTempSubdirectory().FullName, "admin.sock");
        await using var portico = PorticoProcess.Start("run", "--admin-socket", socket);
        Assert.True(await portico.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), portico.Output);
        string shown = "";
        Assert.True(await Eventually.TrueAsync(() =>
        {
            shown = PorticoProcess.RunAsync(["cli", "--admin-socket", socket, "-c", "show service"]).GetAwaiter().GetResult().Output;
            return shown.Contains("demo_health", StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.Count(shown, @"\bUP\b") == 4;
        }, TimeSpan.FromSeconds(30)), shown);
        var (_, monitor) = await PorticoProcess.RunAsync(["cli", "--admin-socket", socket, "-c", "show lb monitor demo_health"]);
        Assert.Contains("Interval: 100 ms", monitor);
        Assert.Contains("HTTP request: \"GET /health\"\tResponse codes: 200-299", monitor);
        portico.Interrupt();
        await portico.WaitForExitAsync(TimeSpan.FromSeconds(20));
    }
}
