namespace Portico.Counters;

/// <summary>One value of a counter for one entity (a vserver, a service, a core); the entity is empty for process-wide counters.</summary>
public readonly record struct CounterReading(string Entity, long Value);
