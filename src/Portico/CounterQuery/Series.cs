using Portico.Counters;

namespace Portico.CounterQuery;

/// <summary>One counter of one entity over time, as read back from history files.</summary>
internal sealed class Series(string counter, string entity, CounterKind kind, string unit)
{
    public string Counter { get; } = counter;

    public string Entity { get; } = entity;

    public CounterKind Kind { get; } = kind;

    public string Unit { get; } = unit;

    public List<(DateTimeOffset Time, long Value)> Points { get; } = [];
}
