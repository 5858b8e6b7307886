namespace Portico.Counters.History;

/// <summary>A series' value in a sample.</summary>
public readonly record struct HistoryValue(SeriesKey Series, long Value);
