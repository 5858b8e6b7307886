using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>
/// The listening sockets of one L4 kind of listener, one per endpoint, reconciled on every change: a socket
/// whose endpoint is still wanted is handed the vserver's new runtime (its connections and listen queue
/// survive a reload), a missing one is opened, one no longer wanted is closed (its connections finish).
/// </summary>
/// <typeparam name="TSocket">The data path's socket (TCP accept loops, a UDP session table).</typeparam>
public sealed class VserverSockets<TSocket>(ProtocolType transport, ILogger logger) : IDisposable
    where TSocket : IVserverSocket
{
    private readonly Dictionary<IPEndPoint, TSocket> _live = [];
    private readonly Lock _lock = new();
    private bool _stopped;

    /// <summary>The sockets open now.</summary>
    public IReadOnlyList<TSocket> Open
    {
        get
        {
            lock (_lock)
            {
                return [.. _live.Values];
            }
        }
    }

    /// <summary>Keeps one socket per enabled, addressable vserver of <paramref name="vservers"/>.</summary>
    /// <param name="start">Binds and starts a socket; throws <see cref="SocketException"/> when the endpoint cannot be used.</param>
    public void Reconcile(IEnumerable<LbListeningVserver> vservers, ListenerPlan plan, Func<IPEndPoint, VserverRuntime, TSocket> start) =>
        Reconcile(vservers, v => ((LbListeningVserver)v).Runtime, plan, start);

    /// <summary>Keeps one socket per enabled, addressable vserver of <paramref name="vservers"/>, of any kind.</summary>
    /// <param name="runtimeOf">The runtime a vserver's socket serves its connections with.</param>
    public void Reconcile(IEnumerable<IListeningVserver> vservers, Func<IListeningVserver, VserverRuntime> runtimeOf, ListenerPlan plan,
        Func<IPEndPoint, VserverRuntime, TSocket> start)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            var wanted = new HashSet<IPEndPoint>();
            foreach (var v in vservers)
            {
                if (!plan.Wants(v) || !plan.TryTake(v, transport))
                {
                    continue;
                }

                var endpoint = v.EndPoint;
                wanted.Add(endpoint);
                if (_live.TryGetValue(endpoint, out var existing))
                {
                    existing.Vserver = runtimeOf(v);
                    plan.Listening(v, existing.EndPoint, transport);
                    continue;
                }

                try
                {
                    var socket = start(endpoint, runtimeOf(v));
                    _live[endpoint] = socket;
                    plan.Listening(v, socket.EndPoint, transport);
                    ListenerLog.Listening(logger, v.Name, socket.EndPoint);
                }
                catch (SocketException e)
                {
                    plan.CannotListen(v, transport, e);
                    ListenerLog.CannotListen(logger, v.Name, endpoint, e.SocketErrorCode);
                }
            }

            foreach (var (endpoint, socket) in _live.Where(l => !wanted.Contains(l.Key)).ToList())
            {
                socket.Dispose();
                _live.Remove(endpoint);
                ListenerLog.Stopped(logger, endpoint);
            }
        }
    }

    /// <summary>The bound endpoint of the vserver's socket, or null.</summary>
    public IPEndPoint? EndPointOf(string vserver)
    {
        lock (_lock)
        {
            return _live.Values.FirstOrDefault(l => l.Vserver.Name == vserver)?.EndPoint;
        }
    }

    /// <summary>Closes every socket, for good: connections already accepted go on until they end.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopped = true;
            foreach (var socket in _live.Values)
            {
                socket.Dispose();
            }

            _live.Clear();
        }
    }
}
