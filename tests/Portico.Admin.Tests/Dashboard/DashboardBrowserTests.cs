using System.Diagnostics;
using Portico.Testing;

namespace Portico.Admin.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser: Debian's chromium driven by Playwright (npm <c>playwright-core</c>) runs
/// <c>browser/dashboard.mjs</c> against a real Portico and real backends. Without chromium, node or the npm
/// packages the test fails saying what to install; it never passes silently.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task An_operator_logs_in_sees_a_member_go_down_with_its_reason_applies_a_bad_then_a_good_batch_and_changes_a_weight()
    {
        var folder = BrowserFolder();
        if (!File.Exists(Chromium))
        {
            Assert.Fail($"{Chromium} is missing: apt-get install chromium (.ci/run installs it)");
        }

        if (!Directory.Exists(Path.Combine(folder, "node_modules", "playwright-core")))
        {
            Assert.Fail($"playwright-core is not installed: run 'npm ci' in {folder} (.ci/run does)");
        }

        await using var b1 = await TestHttpServer.StartAsync("b1");
        var b2 = await TestHttpServer.StartAsync("b2");
        var vip = Ports.Free();
        await using var f = await DashboardFixture.StartAsync(DashboardHttpTests.Farm(b1.Port, b2.Port, vip));
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "dashboard-screenshots")).FullName;

        var start = new ProcessStartInfo("node", [Path.Combine(folder, "dashboard.mjs")])
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["PORTICO_URL"] = $"http://{f.EndPoint}",
                ["PORTICO_USER"] = "admin",
                ["PORTICO_PASSWORD"] = DashboardFixture.AdminPassword,
                ["PORTICO_VIEWER"] = "viewer",
                ["PORTICO_VIEWER_PASSWORD"] = DashboardFixture.ViewerPassword,
                ["PORTICO_PORT2"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SCREENSHOT_DIR"] = screenshots,
            },
        };
        Process node;
        try
        {
            node = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"node cannot be started ({e.Message}): apt-get install nodejs npm");
            return;
        }

        using var _ = node;
        var stderr = node.StandardError.ReadToEndAsync();
        var output = new System.Text.StringBuilder();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            while (await node.StandardOutput.ReadLineAsync(bound.Token) is { } line)
            {
                output.AppendLine(line);
                if (line == "STEP kill-backend")
                {
                    // The member's backend really goes away; the monitor finds it refused and marks it DOWN.
                    await b2.DisposeAsync();
                    await node.StandardInput.WriteLineAsync("go");
                    await node.StandardInput.FlushAsync();
                }
            }

            await node.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"the browser test did not finish within 120 s:\n{output}\n{await stderr}");
        }

        Assert.True(node.ExitCode == 0 && output.ToString().Contains("DASHBOARD OK", StringComparison.Ordinal),
            $"dashboard.mjs exited {node.ExitCode}:\n{output}\n{await stderr}");

        // What the page said matches the store: the bad batch left nothing, the good one is in force.
        Assert.DoesNotContain(f.Host.Engine.Store.Current.Servers, s => s.Name == "bad1");
        Assert.Contains("web2", f.Host.Engine.Runtime.Vservers.Keys);
        Assert.Equal(5, f.Host.Engine.Runtime.Vservers["web2"].Members.Single().Weight);
        Assert.True(File.Exists(Path.Combine(screenshots, "dashboard-batch-error.png")));
    }

    /// <summary>The script's folder in the source tree (where <c>npm ci</c> installed its packages).</summary>
    private static string BrowserFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Portico.Admin.Tests", "Dashboard", "browser");
            if (File.Exists(Path.Combine(candidate, "dashboard.mjs")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/Portico.Admin.Tests/Dashboard/browser/dashboard.mjs not found above {AppContext.BaseDirectory}");
    }
}
