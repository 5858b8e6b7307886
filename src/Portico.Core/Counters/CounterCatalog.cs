using System.Diagnostics.Metrics;

namespace Portico.Counters;

/// <summary>
/// Every counter of the process, gathered from the components' <see cref="ICounterSet"/>s, and the
/// <see cref="Meter"/> named <c>Portico</c> that exports them as observable instruments: each reads the
/// components' fields when a listener collects (a Prometheus scrape), so the data path does no extra work.
/// </summary>
public sealed class CounterCatalog : IDisposable
{
    /// <summary>The meter name exporters listen to.</summary>
    public const string MeterName = "Portico";

    private readonly Dictionary<string, CounterDefinition> _byName;

    public CounterCatalog(IEnumerable<ICounterSet> sets)
    {
        Definitions = [.. sets.SelectMany(s => s.Declare()).OrderBy(d => d.Name, StringComparer.Ordinal)];
        _byName = new Dictionary<string, CounterDefinition>(StringComparer.Ordinal);
        foreach (var d in Definitions)
        {
            if (!_byName.TryAdd(d.Name, d))
            {
                throw new InvalidOperationException($"counter {d.Name} is declared twice");
            }
        }

        Meter = new Meter(MeterName);
        foreach (var d in Definitions)
        {
            var definition = d;
            if (d.Unit == "us")
            {
                // Prometheus wants base units: microseconds (kept as integers for the history log) export as seconds.
                if (d.Kind == CounterKind.Total)
                {
                    Meter.CreateObservableCounter(d.Name, () => ObserveSeconds(definition), "s", d.Description);
                }
                else
                {
                    Meter.CreateObservableGauge(d.Name, () => ObserveSeconds(definition), "s", d.Description);
                }
            }
            else if (d.Kind == CounterKind.Total)
            {
                Meter.CreateObservableCounter(d.Name, () => Observe(definition), d.Unit, d.Description);
            }
            else
            {
                Meter.CreateObservableGauge(d.Name, () => Observe(definition), d.Unit, d.Description);
            }
        }
    }

    /// <summary>Every counter, sorted by name.</summary>
    public IReadOnlyList<CounterDefinition> Definitions { get; }

    /// <summary>The meter of this process's counters (one per engine, so tests in one process stay apart).</summary>
    public Meter Meter { get; }

    public CounterDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The values of one counter now, by entity; empty when the counter is unknown.</summary>
    public IReadOnlyDictionary<string, long> Read(string name) =>
        _byName.TryGetValue(name, out var d) ? ReadSafely(d).ToDictionary(r => r.Entity, r => r.Value, StringComparer.Ordinal) : new Dictionary<string, long>();

    /// <summary>Every value of every counter now, for a history sample.</summary>
    public IEnumerable<(CounterDefinition Definition, CounterReading Reading)> ReadAll()
    {
        foreach (var d in Definitions)
        {
            foreach (var r in ReadSafely(d))
            {
                yield return (d, r);
            }
        }
    }

    private static IEnumerable<Measurement<long>> Observe(CounterDefinition d) =>
        ReadSafely(d).Select(r => d.EntityTag is null
            ? new Measurement<long>(r.Value)
            : new Measurement<long>(r.Value, new KeyValuePair<string, object?>(d.EntityTag, r.Entity)));

    private static IEnumerable<Measurement<double>> ObserveSeconds(CounterDefinition d) =>
        Observe(d).Select(m => new Measurement<double>(m.Value / 1e6, m.Tags));

    /// <summary>A reader that fails (a /proc file gone) yields nothing rather than breaking a whole scrape or sample.</summary>
    private static List<CounterReading> ReadSafely(CounterDefinition d)
    {
        try
        {
            return [.. d.Read()];
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or FormatException)
        {
            return [];
        }
    }

    public void Dispose() => Meter.Dispose();
}
