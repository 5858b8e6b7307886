using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Portico.Listeners;

namespace Portico.Http.Listening;

/// <summary>
/// The client connections every L7 listener holds open, registered for as long as they are served (HTTP/1.1 and
/// HTTP/2 alike), so that a rule applied later can reset those it covers.
/// </summary>
internal sealed class L7Connections : IEstablishedConnections
{
    private readonly ConcurrentDictionary<long, (Action Reset, IPEndPoint Client, IPEndPoint Local)> _open = new();
    private long _nextId;

    public int Count => _open.Count;

    /// <summary>Registers a connection and how to reset it; dispose the result when the connection ends.</summary>
    public Registration Add(Action reset, IPEndPoint client, IPEndPoint local)
    {
        var id = Interlocked.Increment(ref _nextId);
        _open[id] = (reset, client, local);
        return new Registration(this, id);
    }

    /// <inheritdoc/>
    public int Cut(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> covered, string reason)
    {
        var cut = 0;
        foreach (var (reset, client, local) in _open.Values)
        {
            if (covered(client, local, ProtocolType.Tcp))
            {
                reset();
                cut++;
            }
        }

        return cut;
    }

    /// <summary>Removes its connection from the registry when disposed.</summary>
    public readonly struct Registration(L7Connections owner, long id) : IDisposable
    {
        public void Dispose() => owner._open.TryRemove(id, out _);
    }
}
