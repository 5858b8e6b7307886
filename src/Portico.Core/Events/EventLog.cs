namespace Portico.Events;

/// <summary>
/// The process's event log: an in-memory ring of the most recent events, numbered in order, and a
/// <see cref="Recorded"/> event for whoever persists or forwards them (the counters history log).
/// Recording is cheap and never blocks on a reader: a subscriber that needs to do I/O queues the event.
/// </summary>
public sealed class EventLog(TimeProvider time)
{
    /// <summary>How many events the ring keeps; older ones fall off (they were already raised through <see cref="Recorded"/>).</summary>
    public const int Capacity = 10_000;

    private readonly PorticoEvent?[] _ring = new PorticoEvent?[Capacity];
    private readonly Lock _lock = new();
    private long _last;

    /// <summary>Raised after an event is in the ring, on the thread that recorded it, outside the log's lock.</summary>
    public event Action<PorticoEvent>? Recorded;

    /// <summary>The number of the last event recorded; 0 before the first.</summary>
    public long LastNumber => Interlocked.Read(ref _last);

    /// <summary>Records an event now and returns it with its number and time.</summary>
    public PorticoEvent Record(string kind, string entity, string message) => Record(kind, entity, message, time.GetUtcNow());

    /// <summary>Records an event that happened at <paramref name="at"/> (the time a probe result came in).</summary>
    public PorticoEvent Record(string kind, string entity, string message, DateTimeOffset at)
    {
        PorticoEvent e;
        lock (_lock)
        {
            e = new PorticoEvent(_last + 1, at, kind, entity, message);
            _ring[e.Number % Capacity] = e;
            Volatile.Write(ref _last, e.Number);
        }

        Recorded?.Invoke(e);
        return e;
    }

    /// <summary>The events still in the ring numbered above <paramref name="afterNumber"/>, oldest first.</summary>
    public IReadOnlyList<PorticoEvent> Since(long afterNumber = 0)
    {
        lock (_lock)
        {
            var first = Math.Max(afterNumber + 1, _last - Capacity + 1);
            var list = new List<PorticoEvent>((int)Math.Max(0, _last - first + 1));
            for (var n = Math.Max(1, first); n <= _last; n++)
            {
                list.Add(_ring[n % Capacity]!);
            }

            return list;
        }
    }
}
