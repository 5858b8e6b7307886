using Microsoft.Extensions.DependencyInjection;
using Portico.Profiling;
using Portico.Events;
using Portico.Testing;

namespace Portico.Tests.Profiling;

/// <summary><c>set ns profiler -cpuThreshold</c>: real CPU load above the threshold makes the process profile itself, once per period.</summary>
public class ProfilerTriggerTests
{
    [Fact]
    public async Task Sustained_cpu_use_above_the_threshold_captures_one_profile_into_the_log_directory()
    {
        var dir = Directory.CreateTempSubdirectory("portico-profiler-").FullName;
        try
        {
            await using var host = await PorticoHost.StartAsync($"""
                set ns counters -directory {dir}
                set ns profiler -cpuThreshold 300 -sustain 2 -seconds 1 -period 600
                """);
            var trigger = host.Services.GetRequiredService<ProfilerTrigger>();
            var events = host.Services.GetRequiredService<EventLog>();

            // Two threads spinning keep this process well above 30% of two cores until the capture is written (bounded).
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var burners = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                long x = 0;
                while (!stop.IsCancellationRequested && trigger.Captures.Count == 0)
                {
                    x = (x * 31) + 7;
                }

                return x;
            })).ToList();
            Assert.True(await Eventually.TrueAsync(() => trigger.Captures.Count > 0, TimeSpan.FromSeconds(30)),
                string.Join('\n', events.Since().Select(e => e.ToString())));
            await stop.CancelAsync();
            await Task.WhenAll(burners);

            var report = Assert.Single(trigger.Captures);
            Assert.StartsWith(Path.Combine(dir, "profile-"), report, StringComparison.Ordinal);
            Assert.Contains("Hottest by exclusive samples", await File.ReadAllTextAsync(report));
            Assert.True(File.Exists(Path.ChangeExtension(report, ".nettrace")));
            var captured = Assert.Single(events.Since(), e => e.Kind == ProfilerEvents.ProfileCaptured);
            Assert.Contains("above 300", captured.Message);

            // At most once per period: more load does not capture again.
            trigger.OnMeasured(1000);
            trigger.OnMeasured(1000);
            Assert.Single(trigger.Captures);
            Assert.Contains("Captured: " + report, (await host.MustApplyAsync("show ns profiler")).Output[0]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
