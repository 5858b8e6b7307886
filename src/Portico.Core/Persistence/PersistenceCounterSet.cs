using Portico.Counters;

namespace Portico.Persistence;

/// <summary>
/// Live SOURCEIP entries, L4 and L7 together, counted from the table when read: nothing on the data path. One
/// process-wide value (always reported, so a scrape sees 0 rather than no series); per vserver, see
/// <c>show lb persistentSessions</c>.
/// </summary>
internal sealed class PersistenceCounterSet(SourceIpPersistenceTable sourceIps) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare()
    {
        yield return new CounterDefinition("portico.persistence.sessions", "{session}", CounterKind.Gauge, null,
            "Live SOURCEIP persistence entries of all vservers (L4 and L7), as show lb persistentSessions lists them",
            () => [new CounterReading("", sourceIps.Snapshot().LongCount())]);
    }
}
