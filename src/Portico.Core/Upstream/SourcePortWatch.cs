using Portico.Counters;
using Portico.Counters.History;
using Portico.Events;

namespace Portico.Upstream;

/// <summary>
/// Records <c>SOURCE_PORTS_EXHAUSTED</c> when a source address holds 95% of the ephemeral range toward
/// one destination, once, and <c>SOURCE_PORTS_RECOVERED</c> when it falls below 80%: the warning the
/// source document's operators did not get before connects failed at 65K. Checked at every history sample.
/// </summary>
public sealed class SourcePortWatch(SourcePortCounterSet ports, EventLog events) : ISampleWatch
{
    private readonly HashSet<string> _exhausted = new(StringComparer.Ordinal);

    public void Check()
    {
        long capacity;
        Dictionary<string, long> inUse;
        try
        {
            capacity = SourcePortCounterSet.Capacity();
            inUse = ports.InUse();
        }
        catch (IOException)
        {
            return;
        }

        foreach (var (path, count) in inUse)
        {
            if (count * 100 >= capacity * 95 && _exhausted.Add(path))
            {
                events.Record(CounterEvents.SourcePortsExhausted, path, $"{count} of {capacity} source ports in use; new connections to this destination will fail");
            }
        }

        foreach (var path in _exhausted.ToList())
        {
            if (inUse.GetValueOrDefault(path) * 100 < capacity * 80)
            {
                _exhausted.Remove(path);
                events.Record(CounterEvents.SourcePortsRecovered, path, $"{inUse.GetValueOrDefault(path)} of {capacity} source ports in use");
            }
        }
    }
}
