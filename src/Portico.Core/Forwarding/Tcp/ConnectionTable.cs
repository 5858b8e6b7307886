using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Portico.Listeners;
using Portico.Relaying;
using Portico.Upstream;

namespace Portico.Forwarding.Tcp;

/// <summary>
/// Every relayed connection pair in the process: what the idle sweeper walks, what drains and flushes
/// act on, what <c>show</c> counts, and whose server sockets the source-port counters read.
/// </summary>
public sealed class ConnectionTable : IEstablishedConnections, IServerConnections
{
    private readonly ConcurrentDictionary<long, TcpRelay> _relays = new();
    private long _nextId;

    public int Count => _relays.Count;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(TcpRelay relay) => _relays[relay.Id] = relay;

    public void Remove(TcpRelay relay) => _relays.TryRemove(relay.Id, out _);

    public IEnumerable<TcpRelay> All => _relays.Values;

    /// <inheritdoc/>
    public IEnumerable<Socket> ServerSockets => _relays.Values.Select(r => r.ServerSocket);

    /// <inheritdoc/>
    public int Cut(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> covered, string reason)
    {
        var cut = 0;
        foreach (var relay in _relays.Values)
        {
            if (relay.Client is { } client && relay.Local is { } local && covered(client, local, ProtocolType.Tcp))
            {
                relay.Abort(reason);
                cut++;
            }
        }

        return cut;
    }
}
