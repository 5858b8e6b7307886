namespace Portico.Counters;

/// <summary>
/// One counter as its component declares it, once: the name every consumer uses
/// (<c>portico.&lt;component&gt;.&lt;metric&gt;</c>), its unit and kind, the tag that names its entities, and how
/// to read its current values. The reader runs on collection (a Prometheus scrape, a history sample,
/// a <c>stat</c> command), never on the data path: the data path only bumps plain fields.
/// </summary>
public sealed class CounterDefinition
{
    private readonly Func<IEnumerable<CounterReading>> _read;

    public CounterDefinition(string name, string unit, CounterKind kind, string? entityTag, string description, Func<IEnumerable<CounterReading>> read)
    {
        if (!name.StartsWith("portico.", StringComparison.Ordinal) || name.Split('.').Length < 3)
        {
            throw new ArgumentException($"counter names are portico.<component>.<metric>, not '{name}'", nameof(name));
        }

        Name = name;
        Unit = unit;
        Kind = kind;
        EntityTag = entityTag;
        Description = description;
        _read = read;
    }

    /// <summary><c>portico.vserver.connections.current</c>.</summary>
    public string Name { get; }

    /// <summary>The component, the second part of the name (<c>vserver</c>).</summary>
    public string Component => Name.Split('.')[1];

    /// <summary>UCUM unit as <see cref="System.Diagnostics.Metrics"/> takes it: <c>By</c>, <c>us</c>, <c>{connection}</c>.</summary>
    public string Unit { get; }

    public CounterKind Kind { get; }

    /// <summary>The tag naming the entity of each value (<c>vserver</c>, <c>service</c>, <c>core</c>); null for one process-wide value.</summary>
    public string? EntityTag { get; }

    public string Description { get; }

    /// <summary>The values now, one per entity. Never throws for a vanished entity: it is simply absent.</summary>
    public IEnumerable<CounterReading> Read() => _read();
}
