namespace Portico.Counters.History;

/// <summary>
/// One sample as stored: the series whose value changed since the file's previous sample (every series
/// in its first), and the series that disappeared (a vserver removed). Readers carry values forward.
/// </summary>
public sealed record HistorySample(DateTimeOffset Time, IReadOnlyList<HistoryValue> Changed, IReadOnlyList<SeriesKey> Removed);
