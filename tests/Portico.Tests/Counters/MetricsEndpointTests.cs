using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Portico.Tests.Counters;

/// <summary><c>/metrics</c> on the admin HTTP listener: Prometheus's own checker accepts it, and it says what traffic did.</summary>
public partial class MetricsEndpointTests(HistoryProcessFixture fixture) : IClassFixture<HistoryProcessFixture>
{
    [Fact]
    public async Task Metrics_pass_promtool_and_carry_the_traffic_counts_with_types_and_labels()
    {
        // One connection held open through the scrape: it holds a source port toward the live backend.
        var (held, _) = await Portico.Testing.TestClient.ConnectAndGreetAsync(fixture.Vip);
        using var _ = held;
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{fixture.MetricsPort}/metrics"));

        // promtool is Prometheus's own parser and linter (Debian package prometheus; .ci/run installs it).
        Assert.True(File.Exists("/usr/bin/promtool"), "promtool is missing: apt-get install prometheus (.ci/run does)");
        var psi = new ProcessStartInfo("promtool", ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using (var promtool = Process.Start(psi)!)
        {
            await promtool.StandardInput.WriteAsync(text);
            promtool.StandardInput.Close();
            var complaints = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
            await promtool.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(promtool.ExitCode == 0, complaints + "\n" + text);
        }

        var samples = Parse(text, out var types);
        Assert.Equal("counter", types["portico_vserver_connections_total"]);
        Assert.Equal("gauge", types["portico_vserver_connections_current"]);
        Assert.Equal("gauge", types["portico_process_cpu_use"]);
        Assert.Equal(11, samples[("portico_vserver_connections_total", "vserver=web")]);
        Assert.Equal(1, samples[("portico_vserver_connections_current", "vserver=web")]);
        Assert.Equal(1, Assert.Single(samples, p => p.Key.Name == "portico_sourceports_in_use").Value);
        Assert.Equal(1, samples[("portico_service_up", "service=s1")]);
        Assert.Equal(0, samples[("portico_service_up", "service=s2")]);
        Assert.True(samples[("portico_service_probe_failures_total", "service=s2")] >= 2,
            "a DOWN service (-retries 2) shows fewer than two failed probes:\n" + string.Join('\n', text.Split('\n').Where(l => l.Contains("s2", StringComparison.Ordinal))));
        Assert.InRange(samples[("portico_process_cpu_use", "")], 0, 1000);
        Assert.True(samples[("portico_process_memory_rss_bytes", "")] > 1_000_000);
        Assert.Contains(samples.Keys, k => k.Name == "portico_system_cpu_use" && k.Labels == "core=total");

        // Every metric the Grafana dashboard charts is one /metrics really exports.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "docs", "grafana", "portico.json")))
        {
            dir = dir.Parent ?? throw new InvalidOperationException("docs/grafana/portico.json not found above the test directory");
        }

        var dashboard = await File.ReadAllTextAsync(Path.Combine(dir.FullName, "docs", "grafana", "portico.json"));
        var charted = MetricName().Matches(dashboard).Select(m => m.Value).Distinct().ToList();
        Assert.True(charted.Count >= 15, string.Join(", ", charted));
        Assert.All(charted, name => Assert.True(types.ContainsKey(name), $"the dashboard charts {name}, which /metrics does not export"));
    }

    [GeneratedRegex("portico_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [Fact]
    public async Task The_admin_http_listener_refuses_a_remote_address_and_points_to_https()
    {
        var (code, output) = await Portico.Testing.PorticoProcess.RunAsync(["run", "--admin-http", "0.0.0.0:9190", "--log-dir", fixture.LogDir]);
        Assert.Equal(2, code);
        Assert.Contains("not a loopback address", output);
        Assert.Contains("--admin-https", output);
    }

    [Fact]
    public async Task A_chosen_admin_http_address_that_is_taken_stops_the_start_with_a_clear_message()
    {
        using var taken = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        taken.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        taken.Listen();
        var endpoint = (System.Net.IPEndPoint)taken.LocalEndPoint!;
        var (code, output) = await Portico.Testing.PorticoProcess.RunAsync(["run", "--admin-http", endpoint.ToString(), "--log-dir", fixture.LogDir]);
        Assert.Equal(2, code);
        Assert.Contains($"--admin-http {endpoint}: the address is already in use", output);
        Assert.DoesNotContain("Exception", output);
    }

    /// <summary>A small parser of the text format: <c># TYPE name type</c> and <c>name{label="v",...} value</c> lines.</summary>
    private static Dictionary<(string Name, string Labels), double> Parse(string text, out Dictionary<string, string> types)
    {
        types = [];
        var samples = new Dictionary<(string, string), double>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var m = SampleLine().Match(line);
            Assert.True(m.Success, $"not a sample line: {line}");
            var labels = string.Join(',', LabelPair().Matches(m.Groups["labels"].Value)
                .Select(l => (Name: l.Groups[1].Value, Value: l.Groups[2].Value))
                .Where(l => !l.Name.StartsWith("otel_", StringComparison.Ordinal))
                .Select(l => $"{l.Name}={l.Value}"));
            samples[(m.Groups["name"].Value, labels)] = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)" """ + "?")]
    private static partial Regex LabelPair();
}
