using System.Collections.Concurrent;

namespace Portico.Forwarding;

/// <summary>
/// Every relayed connection pair in the process: what the idle sweeper walks, what drains and flushes
/// act on, and what <c>show</c> counts.
/// </summary>
public sealed class ConnectionTable
{
    private readonly ConcurrentDictionary<long, TcpRelay> _relays = new();
    private long _nextId;

    public int Count => _relays.Count;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(TcpRelay relay) => _relays[relay.Id] = relay;

    public void Remove(TcpRelay relay) => _relays.TryRemove(relay.Id, out _);

    public IEnumerable<TcpRelay> All => _relays.Values;
}
