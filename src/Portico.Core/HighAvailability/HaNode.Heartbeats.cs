using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Portico.HighAvailability;

/// <summary>The heartbeat loop: UDP between the nodes' own addresses, port 3003 (NetScaler's HA heartbeat port).</summary>
public sealed partial class HaNode
{
    public const int HeartbeatPort = 3003;

    private uint _sequence;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            IPAddress? self;
            lock (_lock)
            {
                self = _machine is null ? null : _self;
            }

            if (self is null)
            {
                await WaitAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await RunPairAsync(self, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // The address is not there yet (an uplink being configured): try again shortly.
                Log.LoopFailed(_logger, e);
                await WaitAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs the pair from <paramref name="self"/> until the node's address or the pair changes.</summary>
    private async Task RunPairAsync(IPAddress self, CancellationToken stoppingToken)
    {
        using var pairEnd = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var udp = new Socket(self.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(self, HeartbeatPort));
        using var sync = new Socket(self.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        sync.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        sync.Bind(new IPEndPoint(self, SyncChannel.Port));
        sync.Listen(8);
        var receiving = ReceiveAsync(udp, pairEnd.Token);
        var serving = ServeSyncAsync(sync, pairEnd.Token);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                lock (_lock)
                {
                    if (_machine is null || !self.Equals(_self))
                    {
                        return;
                    }
                }

                await TickAsync(self, udp).ConfigureAwait(false);
                TimeSpan next;
                lock (_lock)
                {
                    // A hello, or sooner when a silent peer's dead interval ends first: the takeover is not a hello late.
                    next = _machine?.UntilNextTick() ?? TimeSpan.Zero;
                }

                await WaitAsync(next, stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await pairEnd.CancelAsync().ConfigureAwait(false);
            udp.Close();
            sync.Close();
            await Task.WhenAll(receiving, serving).ConfigureAwait(false);
        }
    }

    /// <summary>One hello: the uplink looked at, the machine ticked, a heartbeat sent, the role applied if it moved.</summary>
    private async Task TickAsync(IPAddress self, Socket udp)
    {
        var uplink = Uplink.DownReason(self);
        byte[] beat;
        IPAddress peer;
        bool changed;
        lock (_lock)
        {
            if (_machine?.Peer is null)
            {
                return;
            }

            changed = _machine.SetUplink(uplink) | _machine.Tick();
            NoteWants();
            if (changed)
            {
                Transitioned(_machine.Role, _machine.Reason);
            }

            NotePeer();
            beat = _machine.Outgoing(++_sequence, _announced, _epoch).ToBytes();
            peer = _machine.Peer.Address;
        }

        if (changed || _listenersToRetry)
        {
            await ApplyRole([], refreshListeners: true, retry: !changed).ConfigureAwait(false);
        }

        try
        {
            await udp.SendToAsync(beat, new IPEndPoint(peer, HeartbeatPort)).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // The uplink is down or the peer's network unreachable: the machine already sees it through silence.
        }
    }

    private async Task ReceiveAsync(Socket udp, CancellationToken cancellationToken)
    {
        var buffer = new byte[512];
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult got;
            try
            {
                got = await udp.ReceiveFromAsync(buffer, new IPEndPoint(udp.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            var from = ((IPEndPoint)got.RemoteEndPoint).Address;
            bool changed;
            bool sendNow;
            lock (_lock)
            {
                if (_machine?.Peer is null || !from.Equals(_machine.Peer.Address) || !Heartbeat.TryRead(buffer.AsSpan(0, got.ReceivedBytes), out var beat, out _))
                {
                    Interlocked.Increment(ref _refused);
                    continue;
                }

                var before = _machine.LastHeard;
                changed = _machine.Heard(beat!);
                NoteWants();
                if (changed)
                {
                    Transitioned(_machine.Role, _machine.Reason);
                }

                NotePeer();
                MaybeSync(beat!);

                // A peer that just changed role (or asks for one) hears back at once rather than a hello later.
                sendNow = changed || before is null || before.Role != beat!.Role || beat!.Flags.HasFlag(HeartbeatFlags.RequestTakeover);
            }

            if (changed)
            {
                await ApplyRole([], refreshListeners: true).ConfigureAwait(false);
            }

            if (sendNow)
            {
                _wake.Release();
            }
        }
    }

    /// <summary>Records the peer appearing or going silent (under the lock).</summary>
    private void NotePeer()
    {
        var alive = _machine!.PeerAlive;
        if (alive == _peerWasAlive)
        {
            return;
        }

        _peerWasAlive = alive;
        var what = alive ? "answers heartbeats" : $"sent no heartbeat for the dead interval ({_machine.Settings.DeadSeconds} s)";
        _events.Record(HaEvents.PeerChange, "HA node", $"the peer {_machine.Peer!.Address} {what}");
        Log.Peer(_logger, _machine.Peer.Address, what);
        if (alive && !_ha.Local.Propagation)
        {
            // Without propagation the peer still gets the config as of its (re)appearance.
            _announced = _digest;
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delayTask = Task.Delay(delay, _time, timer.Token);
            await Task.WhenAny(delayTask, _wake.WaitAsync(timer.Token)).ConfigureAwait(false);
            await timer.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
