using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;
using Portico.Counters.History;
using Portico.Profiling;
using Portico.Testing;

namespace Portico.Core.Tests.Counters;

/// <summary>A running engine samples its counters and writes its events into the history directory its config names.</summary>
public class HistorySamplerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-sampler-").FullName;

    [Fact]
    public async Task Traffic_and_a_monitor_state_change_land_in_the_history_file_with_their_reason()
    {
        var backend = TestTcpServer.Start("b1");
        await using var host = await PorticoHost.StartAsync($"""
            set ns counters -interval 1 -directory {_dir}
            add lb monitor fast TCP -interval 500 MSEC -resptimeout 450 MSEC -retries 2
            add service s1 127.0.0.1 TCP {backend.Port}
            bind service s1 -monitorName fast
            add lb vserver v TCP 127.0.0.1 {Ports.Free()}
            bind lb vserver v s1
            """);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("b1", await TestClient.WhoAnswersAsync(host.EndPointOf("v")));
        }

        await backend.DisposeAsync();
        var path = Path.Combine(_dir, HistoryFormat.CurrentName);
        var sampler = host.Services.GetRequiredService<HistorySampler>();
        Assert.True(await Eventually.TrueAsync(() => host.Engine.Runtime.Services["s1"].StateWord == "DOWN", TimeSpan.FromSeconds(10)));
        var before = sampler.Samples;
        Assert.True(await Eventually.TrueAsync(() => sampler.Samples >= before + 2, TimeSpan.FromSeconds(10)), $"samples: {sampler.Samples}");

        var (reader, items) = HistoryReader.ReadAll(path);
        Assert.Null(reader.Damage);
        var events = items.OfType<HistoryEvent>().Select(e => e.Event).ToList();
        Assert.Contains(events, e => e.Kind == "CONFIG_APPLIED" && e.Entity == "generation 1");
        var down = Assert.Single(events, e => e.Kind == "SERVICE_DOWN");
        Assert.Equal("s1", down.Entity);
        Assert.Contains("L4CON", down.Message);

        // The last value of each series, carried forward through the samples.
        var state = new Dictionary<(string, string), long>();
        foreach (var s in items.OfType<HistorySample>())
        {
            foreach (var v in s.Changed)
            {
                var (counter, entity) = reader.Describe(v.Series);
                state[(counter.Name, entity)] = v.Value;
            }
        }

        Assert.Equal(3, state[("portico.vserver.connections", "v")]);
        Assert.Equal(3, state[("portico.service.requests", "s1")]);
        Assert.Equal(0, state[("portico.service.up", "s1")]);
        // The first probe after the backend died confirmed DOWN; the next waits for -downTime (30 s by default).
        Assert.True(state[("portico.service.probe_failures", "s1")] >= 1, string.Join('\n', state.Where(p => p.Key.Item2 == "s1")));
        Assert.InRange(state[("portico.process.cpu_use", "")], 0, 1000);
    }

    [Fact]
    public async Task Settings_are_checked_written_back_by_save_config_and_shown()
    {
        await using var host = await PorticoHost.StartAsync("");
        var bad = await host.ApplyAsync("set ns counters -directory relative/dir");
        Assert.False(bad.Applied);
        Assert.Contains("expected an absolute directory path", bad.Describe());
        Assert.False((await host.ApplyAsync("set ns counters -interval 99999")).Applied);

        await host.MustApplyAsync($"set ns counters -interval 2 -directory {_dir} -rotateMinutes 30 -rotateSizeKB 1024 -keepFiles 5\nset ns profiler -cpuThreshold 900 -period 600");
        var text = ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
        Assert.Contains($"set ns counters -interval 2 -directory {_dir} -rotateMinutes 30 -rotateSizeKB 1024 -keepFiles 5\n", text);
        Assert.Contains("set ns profiler -cpuThreshold 900 -period 600\n", text);

        await using var again = await PorticoHost.StartAsync(text);
        Assert.Equal(host.Engine.Store.Current.Counters, again.Engine.Store.Current.Counters);
        Assert.Equal(host.Engine.Store.Current.Profiler, again.Engine.Store.Current.Profiler);

        var shown = (await host.MustApplyAsync("show ns counters")).Output[0];
        Assert.Contains("every 2 s", shown);
        Assert.Contains("portico.process.cpu_use", shown);
        Assert.True(await Eventually.TrueAsync(() => File.Exists(Path.Combine(_dir, HistoryFormat.CurrentName)), TimeSpan.FromSeconds(5)));

        await host.MustApplyAsync("unset ns counters -interval -directory -rotateMinutes -rotateSizeKB -keepFiles\nunset ns profiler");
        Assert.Equal(HistorySettings.Default, host.Engine.Store.Current.Counters);
        Assert.DoesNotContain("ns counters", ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch));
        var stat = (await host.MustApplyAsync("stat ns")).Output[0];
        Assert.Contains("portico.process.memory.rss", stat);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
