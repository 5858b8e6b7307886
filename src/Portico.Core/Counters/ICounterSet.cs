namespace Portico.Counters;

/// <summary>
/// A component's list of counters, declared once (Envoy's stats list): registered in DI, gathered by
/// <see cref="CounterCatalog"/>, exported through <see cref="System.Diagnostics.Metrics"/> and sampled
/// into the history log from the same list.
/// </summary>
public interface ICounterSet
{
    IEnumerable<CounterDefinition> Declare();
}
