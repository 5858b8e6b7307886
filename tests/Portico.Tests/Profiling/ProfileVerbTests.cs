using System.Diagnostics;
using Portico.Testing;
using Portico.Tests.Counters;

namespace Portico.Tests.Profiling;

/// <summary><c>portico profile</c> attaches to a live process and names the method that burns its CPU.</summary>
public class ProfileVerbTests(HistoryProcessFixture fixture) : IClassFixture<HistoryProcessFixture>
{
    [Fact]
    public async Task Profiling_a_process_with_a_known_hot_method_puts_it_at_the_top()
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Portico.ProfileTarget.dll"), "60"]) { RedirectStandardOutput = true };
        using var target = Process.Start(psi)!;
        try
        {
            Assert.Equal("ready", await target.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
            var trace = Path.Combine(fixture.LogDir, "target.nettrace");
            var (code, output) = await PorticoProcess.RunAsync(["profile", "--pid", target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--seconds", "2", "--top", "5", "-o", trace], timeout: TimeSpan.FromSeconds(90));
            Assert.True(code == 0, output);

            // The first ranking is by exclusive samples: the spinning method is first, and most samples are its.
            // The row under the table's header (a line the runtime writes to stderr may land between title and header).
            var exclusive = output.Split('\n').SkipWhile(l => !l.StartsWith("Hottest by exclusive", StringComparison.Ordinal))
                .SkipWhile(l => !l.TrimStart().StartsWith("Excl ", StringComparison.Ordinal)).Skip(1).FirstOrDefault() ?? "";
            Assert.True(exclusive.Trim().EndsWith("HotLoop.Spin(int32)", StringComparison.Ordinal), output);
            var percent = double.Parse(exclusive.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(percent > 50, output);
            Assert.Contains("Program.<Main>$", output);
            Assert.True(new FileInfo(trace).Length > 10_000);

            // The kept capture reports again offline.
            var (again, report) = await PorticoProcess.RunAsync(["profile", "--input", trace, "--top", "3"]);
            Assert.True(again == 0, report);
            Assert.Contains("HotLoop.Spin(int32)", report);
        }
        finally
        {
            target.Kill();
            await target.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Without_a_pid_it_profiles_the_portico_serving_the_admin_socket()
    {
        var (code, output) = await PorticoProcess.RunAsync(["profile", "--admin-socket", Path.Combine(fixture.LogDir, "admin.sock"), "--seconds", "1", "--top", "3"],
            timeout: TimeSpan.FromSeconds(90));
        Assert.True(code == 0, output);
        Assert.Contains($"Sampling process {fixture.Portico.Id} for 1 s", output);
        Assert.Contains("Hottest by inclusive samples", output);

        var (refused, message) = await PorticoProcess.RunAsync(["profile", "--admin-socket", Path.Combine(fixture.LogDir, "nobody.sock")]);
        Assert.Equal(3, refused);
        Assert.Contains("no Portico is running", message);
    }
}
