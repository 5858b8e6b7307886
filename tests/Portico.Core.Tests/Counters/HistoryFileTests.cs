using Microsoft.Extensions.Time.Testing;
using Portico.Counters;
using Portico.Counters.History;
using Portico.Events;

namespace Portico.Core.Tests.Counters;

/// <summary>The history file on a real disk: what is written reads back; crashes, rotation and retention behave.</summary>
public class HistoryFileTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-history-").FullName;
    private readonly FakeTimeProvider _time = new(T0);
    private readonly Dictionary<string, long> _values = new() { ["a"] = 1, ["b"] = 2 };

    private CounterDefinition Requests => new("portico.vserver.requests", "{request}", CounterKind.Total, "vserver", "requests",
        () => _values.Select(p => new CounterReading(p.Key, p.Value)));

    private IEnumerable<(CounterDefinition, CounterReading)> Sample() => Requests.Read().Select(r => (Requests, r)).ToList();

    [Fact]
    public void Samples_and_events_read_back_with_values_carried_forward_and_removed_series_gone()
    {
        using (var writer = new HistoryWriter(_dir, HistorySettings.Default, _time))
        {
            writer.WriteSample(_time.GetUtcNow(), Sample());
            _time.Advance(TimeSpan.FromSeconds(7));
            _values["a"] = 5;
            writer.WriteSample(_time.GetUtcNow(), Sample());
            writer.WriteEvent(new PorticoEvent(1, _time.GetUtcNow(), "SERVICE_DOWN", "s1", "mon: L4CON connection refused"));
            _time.Advance(TimeSpan.FromSeconds(7));
            _values.Remove("b");
            writer.WriteSample(_time.GetUtcNow(), Sample());
        }

        var (reader, items) = HistoryReader.ReadAll(Path.Combine(_dir, HistoryFormat.CurrentName));
        Assert.Null(reader.Damage);
        Assert.Equal(T0, reader.Info!.Started);
        Assert.Equal(Environment.ProcessId, reader.Info.ProcessId);
        var samples = items.OfType<HistorySample>().ToList();
        Assert.Equal(3, samples.Count);
        Assert.Equal(2, samples[0].Changed.Count);

        // Only what changed is stored: the second sample holds a=5 alone, the third only says b is gone.
        var second = Assert.Single(samples[1].Changed);
        Assert.Equal(("portico.vserver.requests", "a", 5L), (reader.Describe(second.Series).Counter.Name, reader.Describe(second.Series).Entity, second.Value));
        Assert.Empty(samples[2].Changed);
        Assert.Equal("b", reader.Describe(Assert.Single(samples[2].Removed)).Entity);
        var e = Assert.Single(items.OfType<HistoryEvent>()).Event;
        Assert.Equal(("SERVICE_DOWN", "s1", "mon: L4CON connection refused"), (e.Kind, e.Entity, e.Message));
        Assert.Equal(CounterKind.Total, reader.Counters[0].Kind);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(9)]
    public void A_torn_last_record_is_skipped_and_everything_before_it_reads(int cut)
    {
        using (var writer = new HistoryWriter(_dir, HistorySettings.Default, _time))
        {
            writer.WriteSample(_time.GetUtcNow(), Sample());
            _time.Advance(TimeSpan.FromSeconds(7));
            _values["a"] = 9;
            writer.WriteSample(_time.GetUtcNow(), Sample());
        }

        var path = Path.Combine(_dir, HistoryFormat.CurrentName);
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(file.Length - cut);
        }

        var (reader, items) = HistoryReader.ReadAll(path);
        Assert.Single(items.OfType<HistorySample>());
        Assert.Contains("skipped", reader.Damage);
    }

    [Fact]
    public void A_damaged_record_fails_its_checksum_and_reading_stops_there()
    {
        using (var writer = new HistoryWriter(_dir, HistorySettings.Default, _time))
        {
            writer.WriteSample(_time.GetUtcNow(), Sample());
            _values["a"] = 9;
            writer.WriteSample(_time.GetUtcNow(), Sample());
        }

        var path = Path.Combine(_dir, HistoryFormat.CurrentName);
        var bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var (reader, items) = HistoryReader.ReadAll(path);
        Assert.Single(items.OfType<HistorySample>());
        Assert.Contains("checksum", reader.Damage);
    }

    [Fact]
    public void Something_that_is_not_a_history_file_is_refused_with_its_name()
    {
        var path = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(path, "hello");
        var e = Assert.Throws<InvalidDataException>(() => HistoryReader.ReadAll(path));
        Assert.Contains("notes.txt is not a Portico counters history file", e.Message);
    }

    [Fact]
    public void Files_rotate_by_age_and_by_size_into_increasing_numbers_and_only_the_newest_archives_are_kept()
    {
        var settings = HistorySettings.Default with { RotateAfter = TimeSpan.FromMinutes(1), RotateBytes = 4096, KeepFiles = 2 };

        // A file left by an earlier run becomes archive 0 when the writer opens.
        File.WriteAllBytes(Path.Combine(_dir, HistoryFormat.CurrentName), [.. HistoryFormat.Magic]);
        using var writer = new HistoryWriter(_dir, settings, _time);
        Assert.Equal([0], HistoryFiles.Archives(_dir).Select(a => a.Number));

        writer.WriteSample(_time.GetUtcNow(), Sample());
        _time.Advance(TimeSpan.FromSeconds(61));
        writer.WriteSample(_time.GetUtcNow(), Sample());
        Assert.Equal([0, 1], HistoryFiles.Archives(_dir).Select(a => a.Number));

        // Many distinct series make the file grow past 4 KiB well within the minute.
        for (var i = 0; i < 200; i++)
        {
            _values[$"vserver-{i}"] = i;
        }

        writer.WriteSample(_time.GetUtcNow(), Sample());
        writer.WriteSample(_time.GetUtcNow(), Sample());
        Assert.Equal([1, 2], HistoryFiles.Archives(_dir).Select(a => a.Number));
        Assert.Equal(2, writer.Rotations - 1);

        // Every archive still reads on its own: each file declares its counters again.
        foreach (var path in HistoryFiles.All(_dir))
        {
            var (reader, items) = HistoryReader.ReadAll(path);
            Assert.Null(reader.Damage);
            Assert.All(items.OfType<HistorySample>(), s => Assert.NotEmpty(s.Changed));
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
