using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Portico.Listeners;

namespace Portico.Http.Listening;

/// <summary>
/// The client connections every L7 listener holds open, registered by the connection middleware for
/// as long as Kestrel runs them, so that a rule applied later can reset those it covers.
/// </summary>
internal sealed class L7Connections : IEstablishedConnections
{
    private readonly ConcurrentDictionary<long, (ConnectionContext Connection, IPEndPoint Client, IPEndPoint Local)> _open = new();
    private long _nextId;

    public int Count => _open.Count;

    /// <summary>Registers a connection; dispose the result when the connection ends.</summary>
    public Registration Add(ConnectionContext connection, IPEndPoint client, IPEndPoint local)
    {
        var id = Interlocked.Increment(ref _nextId);
        _open[id] = (connection, client, local);
        return new Registration(this, id);
    }

    /// <inheritdoc/>
    public int Cut(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> covered, string reason)
    {
        var cut = 0;
        foreach (var (connection, client, local) in _open.Values)
        {
            if (covered(client, local, ProtocolType.Tcp))
            {
                Reset(connection, reason);
                cut++;
            }
        }

        return cut;
    }

    /// <summary>Closes a connection with a TCP reset, as the L4 path refuses: the client learns at once.</summary>
    public static void Reset(ConnectionContext connection, string reason)
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }

        connection.Abort(new ConnectionAbortedException(reason));
    }

    /// <summary>Removes its connection from the registry when disposed.</summary>
    public readonly struct Registration(L7Connections owner, long id) : IDisposable
    {
        public void Dispose() => owner._open.TryRemove(id, out _);
    }
}
