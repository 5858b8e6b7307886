using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Portico.Balancing;
using Portico.Listeners;
using Portico.Persistence;
using Portico.Runtime;

namespace Portico.Forwarding.Udp;

/// <summary>
/// A UDP vserver: one socket on the VIP, a session table keyed by the client's address and port, and
/// a member chosen per session (persistence first) so a client's datagrams keep going to the same server. Admission runs
/// on every datagram that would open a session; denied or unplaceable datagrams are dropped and counted.
/// An open session is not checked again per datagram (like an established TCP connection); rules
/// applied later close the sessions they cover (<see cref="CloseSessions"/>).
/// </summary>
public sealed partial class UdpVserverListener : IVserverSocket
{
    /// <summary>NetScaler's default client idle timeout for UDP vservers.</summary>
    public const long DefaultIdleTimeoutSeconds = 120;

    private readonly Socket _socket;
    private readonly IAdmissionPolicy[] _admission;
    private readonly PersistencePolicies _persistence;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<SocketAddress, UdpSession> _sessions = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile VserverRuntime _vserver;

    private UdpVserverListener(Socket socket, VserverRuntime vserver, IAdmissionPolicy[] admission, PersistencePolicies persistence, ILogger logger)
    {
        _persistence = persistence;
        _socket = socket;
        _vserver = vserver;
        _admission = admission;
        _logger = logger;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public VserverRuntime Vserver
    {
        get => _vserver;
        set => _vserver = value;
    }

    /// <summary>Sessions open now.</summary>
    public int Sessions => _sessions.Count;

    public static UdpVserverListener Start(IPEndPoint endpoint, VserverRuntime vserver, UdpSessionPolicies policies, ILogger logger)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var listener = new UdpVserverListener(socket, vserver, policies.Admission, policies.Persistence, logger);
        _ = listener.ReceiveLoopAsync();
        _ = listener.SweepLoopAsync();
        return listener;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65536, pinned: true);
        var from = new SocketAddress(_socket.AddressFamily);
        while (true)
        {
            int n;
            try
            {
                n = await _socket.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, from).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException { SocketErrorCode: SocketError.OperationAborted })
            {
                return;
            }
            catch (SocketException e)
            {
                Log.ReceiveFailed(_logger, EndPoint, e.SocketErrorCode);
                continue;
            }

            if (!_sessions.TryGetValue(from, out var session) || session.IsClosed)
            {
                session = Open(from);
                if (session is null)
                {
                    continue;
                }
            }

            await session.ForwardAsync(buffer.AsMemory(0, n)).ConfigureAwait(false);
        }
    }

    private UdpSession? Open(SocketAddress from)
    {
        var vserver = _vserver;
        var client = (IPEndPoint)EndPoint.Create(from);
        if (_admission.Denies(client, EndPoint, vserver, ProtocolType.Udp))
        {
            // Checked per datagram while the client has no session: each denied datagram is dropped and counted.
            return null;
        }

        // A new session goes to the member the client's address is persisted to (SOURCEIP) while it can take it.
        if (_persistence.Select(vserver, new BalancingContext(client, EndPoint)) is not { } selection)
        {
            Interlocked.Increment(ref vserver.Counters.Refused);
            return null;
        }

        var member = selection.Member.Service;
        var backend = new Socket(member.Endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (member.SourceAddresses.Count > 0)
            {
                backend.Bind(new IPEndPoint(member.SourceAddresses[0], 0));
            }

            backend.Connect(member.Endpoint);
        }
        catch (SocketException)
        {
            backend.Dispose();
            member.Release();
            Interlocked.Increment(ref member.Counters.ConnectFailures);
            return null;
        }

        _persistence.Remember(vserver, client.Address, member);
        var key = new SocketAddress(from.Family, from.Size);
        from.Buffer.CopyTo(key.Buffer);
        var timeout = selection.ServedBy.Config.ClientTimeout ?? member.Settings.ClientTimeout ?? DefaultIdleTimeoutSeconds;
        var session = new UdpSession(_socket, key, backend, selection, timeout * 1000);
        _sessions[key] = session;
        Interlocked.Increment(ref vserver.Counters.TotalConnections);
        Interlocked.Increment(ref vserver.Counters.CurrentClientConnections);
        Interlocked.Increment(ref vserver.Counters.Requests);
        Interlocked.Increment(ref member.Counters.TotalConnections);
        Interlocked.Increment(ref member.Counters.Requests);
        _ = session.RunAsync(closed =>
        {
            _sessions.TryRemove(new KeyValuePair<SocketAddress, UdpSession>(closed.Client, closed));
            Interlocked.Decrement(ref vserver.Counters.CurrentClientConnections);
        });
        return session;
    }

    private async Task SweepLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                foreach (var session in _sessions.Values)
                {
                    if (session.IdleTimeoutMs > 0 && now - Volatile.Read(ref session.LastActivity) > session.IdleTimeoutMs)
                    {
                        Interlocked.Increment(ref session.ServedBy.Counters.IdleTimeouts);
                        session.Close();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Closes the sessions whose client <paramref name="covered"/> names; returns how many.</summary>
    public int CloseSessions(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> covered)
    {
        var closed = 0;
        foreach (var session in _sessions.Values)
        {
            if (!session.IsClosed && covered((IPEndPoint)EndPoint.Create(session.Client), EndPoint, ProtocolType.Udp))
            {
                session.Close();
                closed++;
            }
        }

        return closed;
    }

    /// <summary>
    /// Stops receiving. Unlike TCP there is no connection to finish: open sessions are closed, and a
    /// client's next datagram after a reload that kept this vserver finds the same listener anyway.
    /// </summary>
    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        foreach (var s in _sessions.Values)
        {
            s.Close();
        }

        _stop.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 150, Level = LogLevel.Debug, Message = "UDP receive on {Endpoint} failed: {Error}")]
        public static partial void ReceiveFailed(ILogger logger, IPEndPoint endpoint, SocketError error);
    }
}
