using Portico.Counters;

namespace Portico.Persistence;

/// <summary>Live SOURCEIP entries per vserver, counted from the table when read: nothing on the data path.</summary>
internal sealed class PersistenceCounterSet(SourceIpPersistenceTable sourceIps) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare()
    {
        yield return new CounterDefinition("portico.persistence.sessions", "{session}", CounterKind.Gauge, "vserver",
            "Live SOURCEIP persistence entries (L4 and L7), as show lb persistentSessions lists them",
            () => sourceIps.Snapshot().GroupBy(e => e.Vserver, StringComparer.Ordinal).Select(g => new CounterReading(g.Key, g.LongCount())));
    }
}
