using Portico.Counters;

namespace Portico.CounterQuery;

/// <summary>Turns loaded history into the rows of each display mode.</summary>
internal static class QueryModes
{
    public static ResultTable Run(HistoryData data, QueryOptions query) => query.Mode switch
    {
        DisplayMode.Current => Current(data, query),
        DisplayMode.Past => Past(data, query),
        DisplayMode.StatsWt0 => StatsWt0(data, query),
        DisplayMode.Event => Events(data, query),
        _ => SeTime(data),
    };

    /// <summary>Every sample of every series, with the change since the series' previous sample and its rate.</summary>
    private static ResultTable Current(HistoryData data, QueryOptions query)
    {
        var rows = new List<(DateTimeOffset Time, string Counter, string Entity, object?[] Cells)>();
        foreach (var s in data.Series)
        {
            for (var i = 0; i < s.Points.Count; i++)
            {
                var (t, v) = s.Points[i];
                if (query.Above is { } above && v <= above)
                {
                    continue;
                }

                long? delta = i > 0 ? v - s.Points[i - 1].Value : null;
                var seconds = i > 0 ? (t - s.Points[i - 1].Time).TotalSeconds : 0;
                double? rate = delta is { } d && seconds > 0 && s.Kind == CounterKind.Total ? d / seconds : null;
                rows.Add((t, s.Counter, s.Entity, [t, s.Counter, Entity(s.Entity), v, delta, rate]));
            }
        }

        var table = new ResultTable("time", "counter", "entity", "value", "delta", "rate_per_s");
        foreach (var r in rows.OrderBy(r => r.Time).ThenBy(r => r.Counter, StringComparer.Ordinal).ThenBy(r => r.Entity, StringComparer.Ordinal))
        {
            table.Add(r.Cells);
        }

        return table;
    }

    /// <summary>One line per series over the window, with a sparkline of its values.</summary>
    private static ResultTable Past(HistoryData data, QueryOptions query)
    {
        var table = new ResultTable("counter", "entity", "from", "to", "samples", "first", "last", "min", "max", "avg", "timeline");
        foreach (var s in Ordered(data))
        {
            var points = Above(s, query);
            if (points.Count == 0)
            {
                continue;
            }

            var values = points.Select(p => p.Value).ToList();
            table.Add(s.Counter, Entity(s.Entity), points[0].Time, points[^1].Time, points.Count, values[0], values[^1], values.Min(), values.Max(),
                values.Average(), Sparkline.Draw(values));
        }

        return table;
    }

    /// <summary>Only the series that changed within the window.</summary>
    private static ResultTable StatsWt0(HistoryData data, QueryOptions query)
    {
        var table = new ResultTable("counter", "entity", "first", "last", "change", "min", "max");
        foreach (var s in Ordered(data))
        {
            var points = Above(s, query);
            if (points.Count == 0 || points.All(p => p.Value == points[0].Value))
            {
                continue;
            }

            var values = points.Select(p => p.Value).ToList();
            table.Add(s.Counter, Entity(s.Entity), values[0], values[^1], values[^1] - values[0], values.Min(), values.Max());
        }

        return table;
    }

    private static ResultTable Events(HistoryData data, QueryOptions query)
    {
        var table = new ResultTable("time", "number", "kind", "entity", "message");
        foreach (var e in data.Events.Where(e => query.Patterns.Count == 0
                     || query.Patterns.Any(p => Glob.Matches(p, e.Kind, true) || Glob.Matches(p, e.Entity, true) || Glob.Matches(p, e.Message, true))))
        {
            table.Add(e.Time, e.Number, e.Kind, e.Entity, e.Message);
        }

        return table;
    }

    private static ResultTable SeTime(HistoryData data)
    {
        var table = new ResultTable("file", "start", "end", "samples", "events", "counters", "interval_s", "pid", "damage");
        foreach (var f in data.Files)
        {
            table.Add(f.Path, f.Start, f.End, f.Samples, f.Events, f.Counters, f.Interval?.TotalSeconds, f.ProcessId, f.Damage ?? "none");
        }

        return table;
    }

    private static IEnumerable<Series> Ordered(HistoryData data) =>
        data.Series.OrderBy(s => s.Counter, StringComparer.Ordinal).ThenBy(s => s.Entity, StringComparer.Ordinal);

    private static List<(DateTimeOffset Time, long Value)> Above(Series s, QueryOptions query) =>
        query.Above is { } above ? [.. s.Points.Where(p => p.Value > above)] : s.Points;

    private static string Entity(string entity) => entity.Length == 0 ? "-" : entity;
}
