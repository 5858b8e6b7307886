using System.Text.Json.Nodes;
using Portico.Counters.History;

namespace Portico.Admin.Dashboard;

/// <summary>
/// <c>GET /gui/api/history</c>: the last half hour of the rate counters from the history log being written, so
/// the sparklines start with the past instead of empty. The file stores only what changed, so values are carried
/// forward from sample to sample, as <c>portico counters</c> does. No log (<c>-interval 0</c>, no directory): empty.
/// </summary>
internal sealed class DashboardHistory(TimeProvider time, HistorySampler? sampler = null)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    public JsonObject Read()
    {
        var series = new JsonObject();
        var answer = new JsonObject { ["file"] = sampler?.CurrentPath is { } p ? Path.GetFileName(p) : null, ["series"] = series };
        if (sampler?.CurrentPath is not { } path || !File.Exists(path))
        {
            return answer;
        }

        var (reader, items) = HistoryReader.ReadAll(path);
        var wanted = DashboardState.RateCounters.ToHashSet(StringComparer.Ordinal);
        var from = time.GetUtcNow() - Window;
        var state = new Dictionary<SeriesKey, long>();
        foreach (var sample in items.OfType<HistorySample>())
        {
            foreach (var v in sample.Changed)
            {
                state[v.Series] = v.Value;
            }

            foreach (var k in sample.Removed)
            {
                state.Remove(k);
            }

            if (sample.Time < from)
            {
                continue;
            }

            foreach (var (key, value) in state)
            {
                var (counter, entity) = reader.Describe(key);
                if (!wanted.Contains(counter.Name))
                {
                    continue;
                }

                var byEntity = series[counter.Name] as JsonObject ?? (JsonObject)(series[counter.Name] = new JsonObject());
                var points = byEntity[entity] as JsonArray ?? (JsonArray)(byEntity[entity] = new JsonArray());
                points.Add(new JsonArray(sample.Time.ToUnixTimeMilliseconds(), value));
            }
        }

        return answer;
    }
}
