namespace Portico.Counters.History;

/// <summary>The first record of a history file: who wrote it, from when, sampling how often.</summary>
public sealed record HistoryFileInfo(DateTimeOffset Started, string Host, int ProcessId, TimeSpan Interval, string Version);
