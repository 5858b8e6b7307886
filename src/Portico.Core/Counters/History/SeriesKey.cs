namespace Portico.Counters.History;

/// <summary>A series: one counter of one entity, by the file's ids.</summary>
public readonly record struct SeriesKey(int Counter, int Entity);
