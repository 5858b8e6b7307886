using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using Portico.Counters.History;

namespace Portico.Tests.Counters;

/// <summary><c>portico counters</c> reads back what a running Portico wrote, in each nsconmsg mode.</summary>
public class CountersVerbTests(HistoryProcessFixture fixture) : IClassFixture<HistoryProcessFixture>
{
    [Fact]
    public async Task Current_mode_prints_every_sample_of_the_counter_with_the_values_traffic_made()
    {
        var (code, output) = await fixture.CountersAsync("-g", "portico.vserver.connections", "-j", "web", "-d", "current", "--format", "json");
        Assert.True(code == 0, output);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.True(rows.Count >= 5, output);
        Assert.All(rows, r => Assert.Equal("web", r.GetProperty("entity").GetString()));

        // Two counters match the pattern (connections and connections.current); the total reached ten.
        var totals = rows.Where(r => r.GetProperty("counter").GetString() == "portico.vserver.connections").ToList();
        Assert.Equal(10, totals[^1].GetProperty("value").GetInt64());
        Assert.Contains(rows, r => r.GetProperty("counter").GetString() == "portico.vserver.connections.current");
    }

    [Fact]
    public async Task The_nsconmsg_spelling_finds_cpu_use_and_a_threshold_keeps_only_values_above_it()
    {
        // One window for both queries: the running process adds a sample every second.
        var until = DateTimeOffset.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        var (code, all) = await fixture.CountersAsync("-K", HistoryFormat.CurrentName, "-g", "cpu_use", "-d", "current", "--format", "csv", "--until", until);
        Assert.True(code == 0, all);
        var lines = all.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("time,counter,entity,value,delta,rate_per_s", lines[0]);
        Assert.Contains(lines, l => l.Contains(",portico.process.cpu_use,-,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",portico.system.cpu_use,total,", StringComparison.Ordinal));

        var values = lines.Skip(1).Select(l => long.Parse(l.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var threshold = values.Order().ElementAt(values.Count / 2);
        var (_, above) = await fixture.CountersAsync("-g", "cpu_use", "-d", "current", "-s", $"totalcount={threshold}", "--format", "csv", "--until", until);
        var kept = above.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => long.Parse(l.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(values.Count(v => v > threshold), kept.Count);
        Assert.All(kept, v => Assert.True(v > threshold));
    }

    [Fact]
    public async Task Event_mode_shows_the_monitor_state_change_with_its_reason()
    {
        var (code, output) = await fixture.CountersAsync("-d", "event");
        Assert.True(code == 0, output);
        var down = Assert.Single(output.Split('\n'), l => l.Contains("SERVICE_DOWN", StringComparison.Ordinal));
        Assert.Contains("s2", down);
        Assert.Contains("fast: L4CON", down);
        Assert.Contains("CONFIG_APPLIED", output);
    }

    [Fact]
    public async Task Statswt0_lists_only_counters_that_changed_and_past_draws_a_timeline()
    {
        var (_, changed) = await fixture.CountersAsync("-d", "statswt0", "-g", "portico.vserver,portico.service.up");
        Assert.Contains("portico.vserver.connections ", changed);
        Assert.Contains("portico.service.up", changed);
        Assert.DoesNotContain("portico.vserver.http.503", changed);
        Assert.Matches(@"portico\.service\.up\s+s2\s+1\s+0\s+-1", changed);

        var (_, past) = await fixture.CountersAsync("-d", "past", "-g", "portico.vserver.connections", "-j", "web");
        Assert.Contains("timeline", past);
        Assert.Matches("[▁▂▃▄▅▆▇█]{3,}", past);
    }

    [Fact]
    public async Task Setime_gives_the_file_span_and_a_window_narrows_samples()
    {
        var (_, span) = await fixture.CountersAsync("-d", "setime", "--format", "json");
        var file = Assert.Single(JsonDocument.Parse(span).RootElement.EnumerateArray());
        var start = DateTimeOffset.Parse(file.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(file.GetProperty("end").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(end - start >= TimeSpan.FromSeconds(3), span);
        Assert.Equal("none", file.GetProperty("damage").GetString());

        var (_, late) = await fixture.CountersAsync("-g", "portico.process.threads", "--since", end.AddSeconds(-1.5).ToString("o"), "--until", end.ToString("o"), "--format", "json");
        var (_, whole) = await fixture.CountersAsync("-g", "portico.process.threads", "--format", "json", "--until", end.ToString("o"));
        Assert.InRange(JsonDocument.Parse(late).RootElement.GetArrayLength(), 1, 2);
        Assert.True(JsonDocument.Parse(whole).RootElement.GetArrayLength() >= 5);
    }

    [Fact]
    public async Task A_truncated_copy_still_reads_up_to_the_torn_record_and_says_so()
    {
        var copy = Path.Combine(fixture.LogDir, "copy.newnslog");
        var bytes = await File.ReadAllBytesAsync(fixture.CurrentFile);
        await File.WriteAllBytesAsync(copy, bytes[..^3]);
        var (code, output) = await fixture.CountersAsync("-K", copy, "-d", "setime");
        Assert.True(code == 0, output);
        Assert.Contains("skipped", output);
        var (_, values) = await fixture.CountersAsync("-K", copy, "-g", "portico.vserver.connections", "-j", "web", "-d", "past");
        Assert.Contains("portico.vserver.connections", values);
    }

    [Fact]
    public async Task Plot_writes_a_real_png_of_one_counter_and_refuses_several()
    {
        var png = Path.Combine(fixture.LogDir, "cpu.png");
        var (code, output) = await fixture.CountersAsync("-g", "portico.system.cpu_use", "--plot", png, "--sparkline");
        Assert.True(code == 0, output);
        Assert.Contains("portico.system.cpu_use total", output);
        var (width, height, pixels) = DecodePng(await File.ReadAllBytesAsync(png));
        Assert.Equal((900, 420), (width, height));
        Assert.Contains(pixels.Chunk(3), p => p[0] == 31 && p[1] == 119 && p[2] == 180);

        var (refused, message) = await fixture.CountersAsync("-g", "cpu_use", "--plot", png);
        Assert.Equal(2, refused);
        Assert.Contains("--plot draws one counter", message);
    }

    [Fact]
    public async Task Mistakes_get_a_clear_message_and_lower_case_k_never_writes()
    {
        var (code, output) = await fixture.CountersAsync("-d", "sideways");
        Assert.Equal(2, code);
        Assert.Contains("expected one of current, past, statswt0, event, setime", output);
        Assert.Contains("never writes", (await fixture.CountersAsync("-k", "x")).Output);
        Assert.Contains("expected totalcount=N", (await fixture.CountersAsync("-s", "ConLb=2")).Output);
        Assert.Contains("no such file", (await fixture.CountersAsync("-K", "portico.newnslog.99")).Output);
        var (help, text) = await fixture.CountersAsync("--help");
        Assert.Equal(0, help);
        Assert.Contains("-K, --file", text);
        Assert.Contains("-g, --counter", text);
    }

    /// <summary>Checks chunk CRCs and inflates the image: the PNG must decode, not just start with the right bytes.</summary>
    private static (int Width, int Height, byte[] Rgb) DecodePng(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(png.AsSpan(at + 4, length + 4)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length)));
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data[4..]));
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            at += 12 + length;
        }

        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        var rows = raw.ToArray();
        Assert.Equal(height * (1 + (width * 3)), rows.Length);
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, rows[y * (1 + (width * 3))]);
            Array.Copy(rows, (y * (1 + (width * 3))) + 1, rgb, y * width * 3, width * 3);
        }

        return (width, height, rgb);
    }
}
