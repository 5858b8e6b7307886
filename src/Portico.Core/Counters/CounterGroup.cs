namespace Portico.Counters;

/// <summary>
/// Declares the counters of one kind of entity in a few lines: where the entities are now, how each is
/// named, then one line per counter with the field it reads.
/// </summary>
/// <typeparam name="T">The entity (a vserver runtime, a service runtime).</typeparam>
public sealed class CounterGroup<T>(string component, string? entityTag, Func<IEnumerable<T>> entities, Func<T, string> entityName)
{
    private readonly List<CounterDefinition> _definitions = [];

    public IReadOnlyList<CounterDefinition> Definitions => _definitions;

    /// <summary>A value now (may go down).</summary>
    public CounterGroup<T> Gauge(string metric, string unit, string description, Func<T, long> read) =>
        Add(metric, unit, CounterKind.Gauge, description, read);

    /// <summary>A running total (never goes down while the entity lives).</summary>
    public CounterGroup<T> Total(string metric, string unit, string description, Func<T, long> read) =>
        Add(metric, unit, CounterKind.Total, description, read);

    private CounterGroup<T> Add(string metric, string unit, CounterKind kind, string description, Func<T, long> read)
    {
        _definitions.Add(new CounterDefinition($"portico.{component}.{metric}", unit, kind, entityTag, description,
            () => entities().Select(e => new CounterReading(entityName(e), read(e)))));
        return this;
    }
}
