using Portico.Counters.History;
using Portico.Events;

namespace Portico.CounterQuery;

/// <summary>
/// The series, events and file spans a query needs, read from history files in order. Values are
/// carried forward from sample to sample (files store only what changed); only matching series in the
/// time window are kept. Damaged tails are reported, never fatal.
/// </summary>
internal sealed class HistoryData
{
    public List<Series> Series { get; } = [];

    public List<PorticoEvent> Events { get; } = [];

    public List<FileSummary> Files { get; } = [];

    public static HistoryData Load(QueryOptions query)
    {
        var data = new HistoryData();
        foreach (var path in query.Files)
        {
            data.LoadFile(path, query);
        }

        return data;
    }

    private void LoadFile(string path, QueryOptions query)
    {
        var (reader, items) = HistoryReader.ReadAll(path);
        var state = new Dictionary<SeriesKey, long>();
        var wanted = new Dictionary<SeriesKey, Series?>();
        var samples = 0;
        var events = 0;
        DateTimeOffset? first = null;
        DateTimeOffset? last = null;
        foreach (var item in items)
        {
            switch (item)
            {
                case HistorySample s:
                    samples++;
                    first ??= s.Time;
                    last = s.Time;
                    foreach (var v in s.Changed)
                    {
                        state[v.Series] = v.Value;
                    }

                    foreach (var k in s.Removed)
                    {
                        state.Remove(k);
                    }

                    if (!query.InWindow(s.Time))
                    {
                        continue;
                    }

                    foreach (var (key, value) in state)
                    {
                        if (SeriesFor(reader, key, wanted, query) is { } series)
                        {
                            series.Points.Add((s.Time, value));
                        }
                    }

                    break;
                case HistoryEvent e:
                    events++;
                    first ??= e.Event.Time;
                    last = e.Event.Time > last ? e.Event.Time : last ?? e.Event.Time;
                    if (query.InWindow(e.Event.Time) && query.MatchesEntity(e.Event.Entity))
                    {
                        Events.Add(e.Event);
                    }

                    break;
            }
        }

        Files.Add(new FileSummary(path, reader.Info?.Started ?? first, last, samples, events, reader.Counters.Count,
            reader.Info?.Interval, reader.Info?.ProcessId, reader.Damage));
    }

    private Series? SeriesFor(HistoryReader reader, SeriesKey key, Dictionary<SeriesKey, Series?> wanted, QueryOptions query)
    {
        if (wanted.TryGetValue(key, out var known))
        {
            return known;
        }

        var (counter, entity) = reader.Describe(key);
        Series? series = null;
        if (query.MatchesCounter(counter.Name) && query.MatchesEntity(entity))
        {
            // The same series in an earlier file continues (a rotation is not a new series).
            series = Series.FirstOrDefault(s => s.Counter == counter.Name && s.Entity == entity);
            if (series is null)
            {
                series = new Series(counter.Name, entity, counter.Kind, counter.Unit);
                Series.Add(series);
            }
        }

        wanted[key] = series;
        return series;
    }
}
