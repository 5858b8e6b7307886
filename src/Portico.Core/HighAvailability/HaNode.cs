using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.Appliance;
using Portico.Configuration;
using Portico.Events;
using Portico.Listeners;

namespace Portico.HighAvailability;

/// <summary>
/// This node's side of the HA pair: it follows the config (the peer, its own settings and address, the
/// addresses that move with the role), runs the heartbeats and the state machine, owns or releases the
/// VIPs and SNIPs and the listeners on each change of role, and syncs config from the primary. It joins the
/// store's change channel at the admission stage, so a batch's new VIP is on the primary's uplink before
/// the runtime stage binds its listener.
/// </summary>
public sealed partial class HaNode : BackgroundService, IConfigObserver
{
    private readonly ConfigStore _store;
    private readonly IServiceProvider _services;
    private readonly ListenerManager _listeners;
    private readonly HaOwnership _ownership;
    private readonly EventLog _events;
    private readonly TimeProvider _time;
    private readonly ILogger<HaNode> _logger;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _effects = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private HaStateMachine? _machine;
    private HaConfig _ha = HaConfig.None;
    private IPAddress? _self;
    private IReadOnlyList<OwnedAddress> _owned = [];
    private string _synced = "\n";
    private ulong _digest;
    private ulong _announced;
    private uint _epoch;
    private bool _peerWasAlive;
    private volatile bool _listenersToRetry;

    public HaNode(ConfigStore store, IServiceProvider services, ListenerManager listeners, HaOwnership ownership, EventLog events, TimeProvider time, ILogger<HaNode> logger)
    {
        _store = store;
        _services = services;
        _listeners = listeners;
        _ownership = ownership;
        _events = events;
        _time = time;
        _logger = logger;
        store.Observe(this);
    }

    public ConfigStage Stage => ConfigStage.Admission;

    /// <summary>Heartbeats refused: not from the peer's address, or malformed.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    private long _refused;

    public IPreparedChange Prepare(RunningConfig previous, RunningConfig next)
    {
        var self = next.Ips.FirstOrDefault(i => i.Type == NsIpType.Nsip)?.Address;
        var ha = next.Ha;
        var synced = SyncedConfig.Of(next);
        return new Prepared(this, ha, self, OwnedAddress.Of(next, self, ha.Peer?.Address), synced, SyncedConfig.Digest(synced), startingUp: ReferenceEquals(previous, RunningConfig.Empty));
    }

    private IReadOnlyList<string> Commit(HaConfig ha, IPAddress? self, IReadOnlyList<OwnedAddress> owned, string synced, ulong digest, bool startingUp)
    {
        IReadOnlyList<OwnedAddress> dropped;
        bool wasPaired;
        lock (_lock)
        {
            wasPaired = _machine is not null;
            dropped = [.. _owned.Where(o => !owned.Contains(o))];
            _ha = ha;
            _owned = owned;
            _synced = synced;
            if (_digest != digest && (ha.Local.Propagation || _announced == 0))
            {
                _announced = digest;
            }

            _digest = digest;
            if (ha.Peer is null || self is null)
            {
                _machine = null;
            }
            else if (_machine is null || !_machine.Self.Equals(self))
            {
                // A node already serving when the pair is configured keeps serving; one starting up waits for the peer.
                _machine = new HaStateMachine(_time, self, startingUp || wasPaired ? HaRole.Secondary : HaRole.Primary);
                if (_services.GetService(typeof(HaWitnessOptions)) is not null)
                {
                    // Gated from the start: no role without the lease, even before the witness's first answer.
                    _machine.SetWitness("the witness lease is not claimed yet");
                }

                Transitioned(_machine.Role, _machine.Reason);
            }

            _self = self;
            if (_machine?.Configure(ha.Peer, ha.Local) == true)
            {
                Transitioned(_machine.Role, _machine.Reason);
            }

            NoteWants();
        }

        _wake.Release();
        // The runtime stage reconciles the listeners right after: only the addresses are this stage's.
        return ApplyRole(dropped, refreshListeners: false).GetAwaiter().GetResult();
    }

    /// <summary>What <c>show HA node</c> prints.</summary>
    public HaNodeStatus Status()
    {
        lock (_lock)
        {
            var m = _machine;
            return new HaNodeStatus(
                _self, _ha, m?.Role, m?.Reason, m?.LastTransition, m?.Transitions ?? 0,
                m?.PeerRole, m?.LastHeardAt, m?.LastHeard, m?.UplinkDown, _syncState, _lastSync, _syncedFromPeer != 0 ? _syncedFromPeer : null, _digest,
                [.. _owned.Select(o => o.ToString())], Refused, WitnessState);
        }
    }

    /// <summary><c>force HA failover</c>: returns an error for the operator, or null.</summary>
    public string? ForceFailover(bool force)
    {
        string? error;
        bool changed;
        lock (_lock)
        {
            if (_machine is null)
            {
                return _ha.Peer is null ? "no HA peer: add HA node <id> <address> first" : "this node has no address of its own: add ns ip <address> <netmask> -type NSIP";
            }

            var before = _machine.Role;
            error = _machine.ForceFailover(force);
            NoteWants();
            changed = _machine.Role != before;
            if (changed)
            {
                Transitioned(_machine.Role, _machine.Reason);
            }
        }

        if (error is null)
        {
            // The listeners stop before the handover is sent: the peer may bind the same endpoints at once.
            if (changed)
            {
                ApplyRole([], refreshListeners: true).GetAwaiter().GetResult();
            }

            _wake.Release();
        }

        return error;
    }

    /// <summary>
    /// Applies the role to addresses and listeners: the primary adds its owned addresses, then listens, then
    /// announces them; the secondary stops listening, then releases them. Serialized, so two changes never interleave.
    /// </summary>
    private async Task<IReadOnlyList<string>> ApplyRole(IReadOnlyList<OwnedAddress> dropped, bool refreshListeners, bool retry = false)
    {
        await _effects.WaitAsync().ConfigureAwait(false);
        try
        {
            HaRole? role;
            IReadOnlyList<OwnedAddress> owned;
            IPAddress? self;
            string? why;
            lock (_lock)
            {
                role = _machine?.Role;
                why = _machine?.Reason;
                owned = _owned;
                self = _self;
                _serving |= role == HaRole.Primary;
            }

            var standby = role == HaRole.Secondary ? $"standby: this node is the HA secondary ({why})" : null;
            var changed = retry || (_ownership.Standby is null) != (standby is null);
            _ownership.Standby = standby;
            var warnings = new List<string>();
            var nic = self is null ? null : Uplink.Of(self);
            if (nic is not null)
            {
                var present = Uplink.AddressesOn(nic);
                foreach (var a in dropped.Where(a => present.Contains(a.Address)))
                {
                    await Note(warnings, Uplink.RemoveAsync(nic.Name, a)).ConfigureAwait(false);
                }

                if (role == HaRole.Secondary)
                {
                    if (refreshListeners && changed)
                    {
                        warnings.AddRange(_listeners.Refresh());
                    }

                    foreach (var a in owned.Where(a => present.Contains(a.Address)))
                    {
                        await Note(warnings, Uplink.RemoveAsync(nic.Name, a)).ConfigureAwait(false);
                    }
                }
                else
                {
                    foreach (var a in owned.Where(a => !present.Contains(a.Address)))
                    {
                        await Note(warnings, Uplink.AddAsync(nic.Name, a)).ConfigureAwait(false);
                    }

                    if (refreshListeners && changed)
                    {
                        warnings.AddRange(_listeners.Refresh());
                    }

                    // The announcements need no waiting: the segment hears them while the listeners serve.
                    foreach (var a in owned)
                    {
                        _ = Uplink.AnnounceAsync(nic.Name, a).ContinueWith(t => Failed(t.Result), TaskScheduler.Default);
                    }
                }
            }
            else if (refreshListeners && changed)
            {
                warnings.AddRange(_listeners.Refresh());
            }

            // A listener the primary could not open (the old primary still closing it) is tried again next hello.
            _listenersToRetry = role == HaRole.Primary && refreshListeners && warnings.Count > 0;
            lock (_lock)
            {
                // Released: only now may the witness give the lease up, so the peer never holds the VIPs with this node.
                _serving &= role != HaRole.Secondary;
                NoteWants();
            }

            return warnings;
        }
        finally
        {
            _effects.Release();
        }
    }

    private async Task Note(List<string> warnings, Task<string?> step)
    {
        if (await step.ConfigureAwait(false) is { } error)
        {
            warnings.Add(error);
            Failed(error);
        }
    }

    private void Failed(string? error)
    {
        if (error is not null)
        {
            _events.Record(HaEvents.Address, "HA node", error);
            Log.AddressFailed(_logger, error);
        }
    }

    /// <summary>
    /// For the witness: whether this node wants the lease, its address and settings, and whether the peer is handing
    /// the role to it; null without a peer.
    /// </summary>
    internal (bool Wants, IPAddress Self, HaSettings Settings, bool HandedOver)? WitnessView()
    {
        lock (_lock)
        {
            return _machine?.Peer is null ? null : (WantsLease, _machine.Self, _machine.Settings, _machine.WantsPrimary && _machine.PeerHandsOver);
        }
    }

    /// <summary>The witness's answer (null = this node holds the lease); applies the role if it moved.</summary>
    internal async Task WitnessAsync(string? denies, string state)
    {
        bool changed;
        lock (_lock)
        {
            WitnessState = state;
            if (_machine is null || (_machine.HasWitness && _machine.WitnessDenies == denies))
            {
                return;
            }

            changed = _machine.SetWitness(denies);
            if (changed)
            {
                Transitioned(_machine.Role, _machine.Reason);
            }
        }

        if (changed)
        {
            await ApplyRole([], refreshListeners: true).ConfigureAwait(false);
        }
    }

    /// <summary>The witness lease as <c>show HA node</c> prints it; null without a witness.</summary>
    public string? WitnessState { get; private set; }

    /// <summary>Records a change of role (after the machine moved).</summary>
    private void Transitioned(HaRole role, string reason)
    {
        _events.Record(HaEvents.StateChange, "HA node", $"this node is now {HaWords.Roles[role].ToUpperInvariant()}: {reason}");
        Log.Transition(_logger, HaWords.Roles[role], reason);
    }

    public override void Dispose()
    {
        base.Dispose();
        _effects.Dispose();
        _wake.Dispose();
        _witnessTurn.Dispose();
    }

    private sealed class Prepared(HaNode node, HaConfig ha, IPAddress? self, IReadOnlyList<OwnedAddress> owned, string synced, ulong digest, bool startingUp) : IPreparedChange
    {
        public IReadOnlyList<string> Commit() => node.Commit(ha, self, owned, synced, digest, startingUp);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "HA: this node is now {Role}: {Reason}")]
        public static partial void Transition(ILogger logger, string role, string reason);

        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "HA: {Error}")]
        public static partial void AddressFailed(ILogger logger, string error);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "HA sync: {Message}")]
        public static partial void Sync(ILogger logger, string message);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "HA: the peer {Peer} {What}")]
        public static partial void Peer(ILogger logger, IPAddress peer, string what);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Error, Message = "HA: the heartbeat loop failed")]
        public static partial void LoopFailed(ILogger logger, Exception exception);
    }
}
