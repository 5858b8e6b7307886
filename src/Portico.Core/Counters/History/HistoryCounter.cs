namespace Portico.Counters.History;

/// <summary>A counter as a history file declares it (the catalogue of the process that wrote the file).</summary>
public sealed record HistoryCounter(int Id, string Name, string Unit, CounterKind Kind, string? EntityTag, string Description);
