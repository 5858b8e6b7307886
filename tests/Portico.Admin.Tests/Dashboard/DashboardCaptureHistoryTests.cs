using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portico.Capture;
using Portico.Counters.History;
using Portico.Testing;

namespace Portico.Admin.Tests.Dashboard;

/// <summary>Captures listed with their files and downloaded through the dashboard; the history log's past behind the sparklines.</summary>
public sealed class DashboardCaptureHistoryTests : IDisposable
{
    private readonly string _traces = Directory.CreateTempSubdirectory("portico-dash-trace-").FullName;
    private readonly string _history = Directory.CreateTempSubdirectory("portico-dash-history-").FullName;

    [Fact]
    public async Task A_capture_s_files_are_listed_and_downloadable_by_their_own_names_only()
    {
        await using var backend = await TestHttpServer.StartAsync("b1");
        var vip = Ports.Free();
        await using var f = await DashboardFixture.StartAsync($"""
            add service s1 127.0.0.1 HTTP {backend.Port}
            add lb vserver web HTTP 127.0.0.1 {vip}
            bind lb vserver web s1
            """, s => s.AddSingleton(new TraceSettings { Directory = _traces }));
        await f.Host.MustApplyAsync("start nstrace -fileName tap -mode SSLPLAIN -filter \"vserver web\" -size 0");
        using (var client = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"http://127.0.0.1:{vip}/captured-4242")).StatusCode);
        }

        var traces = f.Host.Services.GetRequiredService<TraceManager>();
        Assert.True(await Eventually.TrueAsync(() => traces.List().Single().Files.Packets > 0, Eventually.Timeout));
        await f.Host.MustApplyAsync("stop nstrace -fileName tap");
        var onDisk = Assert.Single(Directory.GetFiles(_traces, "tap_*"));

        var (token, _) = await f.LoginAsync();
        var (_, state) = await f.JsonAsync(HttpMethod.Get, "/gui/api/state", token);
        var capture = Assert.Single(state["captures"]!.AsArray())!;
        Assert.Equal("tap", capture["name"]!.GetValue<string>());
        Assert.Equal("SSLPLAIN", capture["mode"]!.GetValue<string>());
        var name = Assert.Single(capture["files"]!.AsArray())!.GetValue<string>();
        Assert.Equal(Path.GetFileName(onDisk), name);
        Assert.True(state["canDownload"]!.GetValue<bool>());

        using var download = await f.SendAsync(HttpMethod.Get, $"/gui/api/capture/tap/{name}", token);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal($"attachment; filename=\"{name}\"", download.Content.Headers.ContentDisposition?.ToString());
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(await File.ReadAllBytesAsync(onDisk), bytes);
        Assert.True(bytes.AsSpan().IndexOf("GET /captured-4242"u8) >= 0, "the request is not in the downloaded capture");

        // Any other name, even of a file that exists in the trace directory, is not found.
        await File.WriteAllTextAsync(Path.Combine(_traces, "secret.pcap"), "not a capture");
        foreach (var path in new[] { "/gui/api/capture/tap/secret.pcap", "/gui/api/capture/other/" + name, "/gui/api/capture/tap", "/gui/api/capture/tap/" + name + "/x" })
        {
            var (status, _) = await f.JsonAsync(HttpMethod.Get, path, token);
            Assert.Equal(HttpStatusCode.NotFound, status);
        }

        // Without a session, nothing.
        var (anonymous, _) = await f.JsonAsync(HttpMethod.Get, $"/gui/api/capture/tap/{name}", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
    }

    [Fact]
    public async Task The_history_log_s_samples_come_back_as_the_sparklines_past()
    {
        await using var backend = await TestHttpServer.StartAsync("b1");
        var vip = Ports.Free();
        await using var f = await DashboardFixture.StartAsync($"""
            set ns counters -interval 1 -directory {_history}
            add service s1 127.0.0.1 HTTP {backend.Port}
            add lb vserver web HTTP 127.0.0.1 {vip}
            bind lb vserver web s1
            """);
        using (var client = new HttpClient())
        {
            for (var i = 0; i < 3; i++)
            {
                await client.GetStringAsync($"http://127.0.0.1:{vip}/");
            }
        }

        var sampler = f.Host.Services.GetRequiredService<HistorySampler>();
        var after = sampler.Samples;
        Assert.True(await Eventually.TrueAsync(() => sampler.Samples >= after + 2, Eventually.Timeout), $"samples: {sampler.Samples}");

        var (token, _) = await f.LoginAsync();
        var (status, history) = await f.JsonAsync(HttpMethod.Get, "/gui/api/history", token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HistoryFormat.CurrentName, history["file"]!.GetValue<string>());
        var points = history["series"]!["portico.vserver.requests"]!["web"]!.AsArray();
        Assert.True(points.Count >= 2, history.ToJsonString());
        Assert.Equal(3, points[^1]![1]!.GetValue<long>());
        var times = points.Select(p => p![0]!.GetValue<long>()).ToList();
        Assert.Equal(times.Order(), times);
    }

    public void Dispose()
    {
        Directory.Delete(_traces, recursive: true);
        Directory.Delete(_history, recursive: true);
    }
}
