namespace Portico.Counters;

/// <summary>How a counter's value behaves over time, which decides how it is exported and queried.</summary>
public enum CounterKind
{
    /// <summary>A value now (connections open, CPU use): may go up and down.</summary>
    Gauge,

    /// <summary>A running total since the process started (connections accepted, bytes): only goes up.</summary>
    Total,
}
