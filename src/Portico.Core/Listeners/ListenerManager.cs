using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Portico.Forwarding;
using Portico.Forwarding.Udp;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>
/// Keeps one listening socket per enabled, addressable L4 TCP or UDP vserver, reconciled on every config
/// change: new vservers start listening, removed or disabled ones stop (their connections finish),
/// and the rest keep their socket and simply serve the new runtime. Vservers of other data paths (HTTP,
/// SSL) are handed to their <see cref="IVserverListeners"/>.
/// </summary>
public sealed partial class ListenerManager(
    TcpForwarder forwarder,
    UdpSessionPolicies udp,
    IEnumerable<IVserverListeners> others,
    ListenStateEvents listenEvents,
    ILogger<ListenerManager> logger) : IEstablishedConnections, IDisposable
{
    private readonly IVserverListeners[] _others = [.. others];
    private readonly Dictionary<IPEndPoint, TcpVserverListener> _listeners = [];
    private readonly Dictionary<IPEndPoint, UdpVserverListener> _udp = [];
    private readonly Dictionary<string, string> _status = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Where each vserver listens, or why it does not: for <c>show lb vserver</c>.</summary>
    public string StatusOf(string vserver)
    {
        lock (_lock)
        {
            if (_status.TryGetValue(vserver, out var s))
            {
                return s;
            }
        }

        return _others.Select(o => o.StatusOf(vserver)).FirstOrDefault(s => s is not null) ?? "not listening";
    }

    /// <summary>The bound endpoint of a vserver's listener (useful when the config asked for port 0).</summary>
    public IPEndPoint? EndPointOf(string vserver)
    {
        lock (_lock)
        {
            var l4 = _listeners.Values.FirstOrDefault(l => l.Vserver.Name == vserver)?.EndPoint
                ?? _udp.Values.FirstOrDefault(l => l.Vserver.Name == vserver)?.EndPoint;
            if (l4 is not null)
            {
                return l4;
            }
        }

        return _others.Select(o => o.EndPointOf(vserver)).FirstOrDefault(e => e is not null);
    }

    /// <summary>Brings the listeners in line with <paramref name="model"/>; returns warnings for the operator.</summary>
    public IReadOnlyList<string> Reconcile(RuntimeModel model)
    {
        var warnings = new List<string>();
        lock (_lock)
        {
            _status.Clear();
            foreach (var v in model.Vservers.Values.Where(v => !Claimed(v)))
            {
                _status[v.Name] = Describe(v.Config);
            }

            // TCP and UDP may share an address and port; the other data paths (HTTP, SSL) are TCP too, so
            // they are told which TCP endpoints the L4 path already holds.
            var tcpEndpoints = ReconcileSockets(
                _listeners, model, static type => type.IsL4Tcp(), "",
                (endpoint, v) => TcpVserverListener.Start(endpoint, v, forwarder, logger), warnings);
            ReconcileSockets(
                _udp, model, static type => type.IsUdp(), "udp ",
                (endpoint, v) => UdpVserverListener.Start(endpoint, v, udp, logger), warnings);
            foreach (var other in _others)
            {
                warnings.AddRange(other.Reconcile(model, tcpEndpoints));
            }

            listenEvents.Note(model);
        }

        return warnings;
    }

    /// <summary>
    /// Keeps one socket per enabled, addressable vserver of one protocol: existing sockets are handed the
    /// new runtime, missing ones are opened, unwanted ones are closed. Returns the endpoints now wanted.
    /// </summary>
    private HashSet<IPEndPoint> ReconcileSockets<TSocket>(
        Dictionary<IPEndPoint, TSocket> live,
        RuntimeModel model,
        Func<ServiceType, bool> protocol,
        string label,
        Func<IPEndPoint, VserverRuntime, TSocket> start,
        List<string> warnings)
        where TSocket : IVserverSocket
    {
        var wanted = new HashSet<IPEndPoint>();
        foreach (var v in model.Vservers.Values.Where(v => protocol(v.Config.Type) && v.Config.IsAddressable && !Claimed(v)))
        {
            var endpoint = new IPEndPoint(v.Config.Address!, v.Config.Port);
            if (!v.Config.Enabled)
            {
                _status[v.Name] = "disabled: not listening";
                continue;
            }

            if (!wanted.Add(endpoint))
            {
                _status[v.Name] = $"lb vserver {v.Name} cannot listen on {label}{endpoint}: another vserver uses it";
                v.ListenFailure = _status[v.Name];
                warnings.Add(_status[v.Name]);
                continue;
            }

            if (live.TryGetValue(endpoint, out var existing))
            {
                existing.Vserver = v;
                _status[v.Name] = $"listening on {label}{existing.EndPoint}";
                continue;
            }

            try
            {
                var socket = start(endpoint, v);
                live[endpoint] = socket;
                _status[v.Name] = $"listening on {label}{socket.EndPoint}";
                Log.Listening(logger, v.Name, socket.EndPoint);
            }
            catch (SocketException e)
            {
                _status[v.Name] = $"lb vserver {v.Name} cannot listen on {label}{endpoint}: {Explain(e)}";
                v.ListenFailure = _status[v.Name];
                warnings.Add(_status[v.Name]);
                Log.CannotListen(logger, v.Name, endpoint, e.SocketErrorCode);
            }
        }

        foreach (var (endpoint, socket) in live.Where(l => !wanted.Contains(l.Key)).ToList())
        {
            socket.Dispose();
            live.Remove(endpoint);
            Log.Stopped(logger, endpoint);
        }

        return wanted;
    }

    /// <summary>Served by another data path (HTTP, SSL, DSR) rather than the L4 full proxy.</summary>
    private bool Claimed(VserverRuntime v) => _others.Any(o => o.Claims(v.Config));

    /// <summary>Closes the UDP sessions <paramref name="covered"/> names (TCP relays are in the connection table).</summary>
    public int Cut(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> covered, string reason)
    {
        UdpVserverListener[] udp;
        lock (_lock)
        {
            udp = [.. _udp.Values];
        }

        return udp.Sum(l => l.CloseSessions(covered));
    }

    private static string Describe(LbVserver v) =>
        v.Type.IsL4Tcp() || v.Type.IsUdp()
            ? v.IsAddressable ? "not listening" : "not addressable: reached only as a backup vserver"
            : $"{ServiceTypes.Words[v.Type]} vservers are not served by this version of Portico";

    private static string Explain(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "the address is already in use by another program",
        SocketError.AddressNotAvailable => "the address is not configured on this host",
        SocketError.AccessDenied => "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
        _ => e.Message,
    };

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var l in _listeners.Values)
            {
                l.Dispose();
            }

            foreach (var l in _udp.Values)
            {
                l.Dispose();
            }

            _listeners.Clear();
            _udp.Clear();
        }

        foreach (var other in _others)
        {
            other.StopAccepting();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "lb vserver {Vserver} listening on {Endpoint}")]
        public static partial void Listening(ILogger logger, string vserver, IPEndPoint endpoint);

        [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "lb vserver {Vserver} cannot listen on {Endpoint}: {Error}")]
        public static partial void CannotListen(ILogger logger, string vserver, IPEndPoint endpoint, SocketError error);

        [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Stopped listening on {Endpoint}")]
        public static partial void Stopped(ILogger logger, IPEndPoint endpoint);
    }
}
