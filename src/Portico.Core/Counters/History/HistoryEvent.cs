using Portico.Events;

namespace Portico.Counters.History;

/// <summary>An event as stored in a history file.</summary>
public sealed record HistoryEvent(PorticoEvent Event);
