using Portico.Configuration;

namespace Portico.Counters.Commands;

/// <summary><c>stat ns</c>: the process, system and source-port counters now.</summary>
internal sealed record ProcessStats(IReadOnlyList<CounterValue> Counters) : IQueryResult
{
    public static ProcessStats Read(CounterCatalog catalog) =>
        new([.. catalog.ReadAll().Where(x => x.Definition.Component is "process" or "system" or "sourceports")
            .Select(x => new CounterValue(x.Definition.Name, x.Reading.Entity, x.Reading.Value))]);

    public string ToText()
    {
        var table = new TextTable("Counter", "Entity", "Value");
        foreach (var c in Counters)
        {
            table.Row(c.Name, c.Entity.Length == 0 ? "-" : c.Entity, c.Value);
        }

        return table.ToString() + "(cpu_use is in tenths of a percent: 1000 = every core busy)\n";
    }
}

/// <summary>One reading.</summary>
/// <param name="Entity">The entity it belongs to; empty for a process-wide value.</param>
internal sealed record CounterValue(string Name, string Entity, long Value);
