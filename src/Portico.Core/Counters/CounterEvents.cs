namespace Portico.Counters;

/// <summary>The kinds of event the Counters concern records in the event log (and so in the history log).</summary>
public static class CounterEvents
{
    /// <summary>A config change was applied: its generation and what it holds. Written to the history log only (event number 0).</summary>
    public const string ConfigApplied = "CONFIG_APPLIED";

    /// <summary>A source address holds nearly every source port toward one destination: new connects will fail.</summary>
    public const string SourcePortsExhausted = "SOURCE_PORTS_EXHAUSTED";

    /// <summary>Source port use toward a destination fell back below the warning level.</summary>
    public const string SourcePortsRecovered = "SOURCE_PORTS_RECOVERED";
}
