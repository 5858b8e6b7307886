using System.Net;

namespace Portico.HighAvailability;

/// <summary>
/// Who of the pair is primary, decided from this node's settings, its uplink and the peer's heartbeats. Pure:
/// no socket, all time through <see cref="TimeProvider"/>, so every rule is tested with fake time. The rules,
/// as NetScaler's pair behaves:
/// <list type="bullet">
/// <item>DISABLED, STAYSECONDARY or a lost uplink: secondary. STAYPRIMARY: primary.</item>
/// <item>No heartbeat for the dead interval (since start, or since the last one): the secondary takes over.</item>
/// <item>Both primary (a healed split brain): STAYPRIMARY wins, else the one primary longer (more than a second
/// longer), else the lower address; the loser steps down.</item>
/// <item>Both secondary: a peer that handed over (<c>force HA failover</c>) or cannot be primary leaves it to
/// this node; else the lower address claims.</item>
/// </list>
/// Without a witness, a cut heartbeat link makes both primary after the dead interval: NetScaler's own
/// trade-off, shown by <c>show HA node</c> on both nodes.
/// </summary>
public sealed class HaStateMachine(TimeProvider time, IPAddress self, HaRole initial = HaRole.Secondary)
{
    /// <summary>Two primaries whose durations differ by less than this are a tie, broken by address.</summary>
    private static readonly TimeSpan ContestMargin = TimeSpan.FromSeconds(1);

    private readonly DateTimeOffset _started = time.GetUtcNow();
    private DateTimeOffset? _handOverUntil;
    private DateTimeOffset? _takeoverUntil;

    public IPAddress Self { get; } = self;

    public HaPeer? Peer { get; private set; }

    public HaSettings Settings { get; private set; } = HaSettings.Default;

    public HaRole Role { get; private set; } = initial;

    /// <summary>Why the node is in its role, in an operator's words.</summary>
    public string Reason { get; private set; } = initial == HaRole.Primary
        ? "serving when the pair was configured"
        : "starting: waiting for the peer's heartbeats";

    public DateTimeOffset LastTransition { get; private set; } = time.GetUtcNow();

    /// <summary>How many times the role changed since start.</summary>
    public int Transitions { get; private set; }

    public DateTimeOffset? PrimarySince { get; private set; } = initial == HaRole.Primary ? time.GetUtcNow() : null;

    public Heartbeat? LastHeard { get; private set; }

    public DateTimeOffset? LastHeardAt { get; private set; }

    /// <summary>Null while the uplink (the interface of this node's address) is up; otherwise why it is not.</summary>
    public string? UplinkDown { get; private set; }

    public bool PeerAlive => LastHeardAt is { } t && time.GetUtcNow() - t < Settings.Dead;

    /// <summary>Whether this node may be primary now.</summary>
    public bool Eligible => Settings.Status is HaStatus.Enabled or HaStatus.StayPrimary && UplinkDown is null;

    /// <summary>Whether the peer, heard within the dead interval, says it is handing the role over (<c>force HA failover</c>).</summary>
    public bool PeerHandsOver => PeerAlive && LastHeard!.Flags.HasFlag(HeartbeatFlags.HandOver);

    /// <summary>The role the peer last told, or null when it is not heard within the dead interval.</summary>
    public HaRole? PeerRole => PeerAlive ? LastHeard!.Role : null;

    /// <summary>Takes new settings or a new peer (a config change); true when the role changed.</summary>
    public bool Configure(HaPeer? peer, HaSettings settings)
    {
        if (peer?.Address.Equals(Peer?.Address) != true)
        {
            LastHeard = null;
            LastHeardAt = null;
        }

        Peer = peer;
        Settings = settings;
        return Evaluate();
    }

    /// <summary>
    /// With an etcd witness: null while this node holds the witness lease, otherwise why it does not. Null without
    /// a witness (<see cref="HasWitness"/> false). A node that would be primary but does not hold the lease stays
    /// (or becomes) secondary and says it wants the role (<see cref="WantsPrimary"/>), which the witness claims.
    /// </summary>
    public string? WitnessDenies { get; private set; }

    /// <summary>Whether a witness decides who of two nodes that do not hear each other is primary.</summary>
    public bool HasWitness { get; private set; }

    /// <summary>Whether the rules make this node primary (it is, or it waits for the witness lease).</summary>
    public bool WantsPrimary { get; private set; }

    /// <summary>The witness's answer changed (null = this node holds the lease); true when the role changed.</summary>
    public bool SetWitness(string? denies)
    {
        HasWitness = true;
        WitnessDenies = denies;
        return Evaluate();
    }

    /// <summary>The uplink's state changed (null = up); true when the role changed.</summary>
    public bool SetUplink(string? down)
    {
        UplinkDown = down;
        return Evaluate();
    }

    /// <summary>A heartbeat from the peer; true when the role changed.</summary>
    public bool Heard(Heartbeat heartbeat)
    {
        LastHeard = heartbeat;
        LastHeardAt = time.GetUtcNow();
        if (heartbeat.Flags.HasFlag(HeartbeatFlags.RequestTakeover) && Role == HaRole.Primary && heartbeat.Flags.HasFlag(HeartbeatFlags.Eligible)
            && Settings.Status != HaStatus.StayPrimary)
        {
            StartHandOver();
            Transition(HaRole.Secondary, "force HA failover run on the peer: handed over");
            return true;
        }

        if (heartbeat.Role == HaRole.Primary)
        {
            _takeoverUntil = null;
            _handOverUntil = null;
        }

        return Evaluate();
    }

    /// <summary>Time passed (every hello interval, and at <see cref="TakeoverDue"/>); true when the role changed.</summary>
    public bool Tick() => Evaluate();

    /// <summary>
    /// When this secondary takes over if the peer stays silent (its last heartbeat, or the start, plus the dead
    /// interval); null when silence cannot make it primary (it is primary, has no peer, or may not be primary).
    /// </summary>
    public DateTimeOffset? TakeoverDue => Peer is null || Role == HaRole.Primary || !Eligible ? null : (LastHeardAt ?? _started) + Settings.Dead;

    /// <summary>
    /// How long until the next tick: a hello, or less when the takeover falls due sooner, so that a silent peer
    /// is replaced at the dead interval rather than up to a hello after it (a millisecond late, so the tick finds
    /// it due even with a coarse timer).
    /// </summary>
    public TimeSpan UntilNextTick()
    {
        var hello = Settings.Hello;
        if (TakeoverDue is not { } due)
        {
            return hello;
        }

        var left = due - time.GetUtcNow();
        return left > TimeSpan.Zero && left < hello ? left + TimeSpan.FromMilliseconds(1) : hello;
    }

    /// <summary>
    /// <c>force HA failover</c>: the primary hands over, a secondary asks the primary to. Returns an error
    /// for the operator, or null. Without <paramref name="force"/> it is refused when the peer cannot take over.
    /// </summary>
    public string? ForceFailover(bool force)
    {
        if (Peer is null)
        {
            return "no HA peer: add HA node <id> <address> first";
        }

        if (!force && !(PeerAlive && LastHeard!.Flags.HasFlag(HeartbeatFlags.Eligible)))
        {
            return PeerAlive
                ? $"the peer {Peer.Address} cannot become primary (its HA status or uplink); add -force to fail over anyway"
                : $"the peer {Peer.Address} is not heard (no heartbeat for {Settings.DeadSeconds} s): nobody would take over; add -force to fail over anyway";
        }

        if (Role == HaRole.Primary)
        {
            if (Settings.Status == HaStatus.StayPrimary)
            {
                return "this node is STAYPRIMARY: set HA node -haStatus ENABLED first";
            }

            StartHandOver();
            Transition(HaRole.Secondary, "force HA failover: handed over to the peer");
            return null;
        }

        if (!Eligible)
        {
            return $"this node cannot become primary: {NotEligibleWhy()}";
        }

        _takeoverUntil = time.GetUtcNow() + Settings.Dead;
        return null;
    }

    /// <summary>The heartbeat this node sends now.</summary>
    public Heartbeat Outgoing(uint sequence, ulong configDigest, uint syncEpoch)
    {
        var now = time.GetUtcNow();
        var flags = (Eligible ? HeartbeatFlags.Eligible : 0)
            | (Settings.Status == HaStatus.StayPrimary ? HeartbeatFlags.StayPrimary : 0)
            | (_handOverUntil > now ? HeartbeatFlags.HandOver : 0)
            | (_takeoverUntil > now && Role == HaRole.Secondary ? HeartbeatFlags.RequestTakeover : 0);
        return new Heartbeat(Role, flags, sequence, PrimaryForMilliseconds(now), configDigest, syncEpoch);
    }

    private uint PrimaryForMilliseconds(DateTimeOffset now) =>
        PrimarySince is { } since ? (uint)Math.Min(uint.MaxValue, Math.Max(1, (now - since).TotalMilliseconds)) : 0;

    private void StartHandOver() => _handOverUntil = time.GetUtcNow() + Settings.Dead;

    private string NotEligibleWhy() => Settings.Status switch
    {
        HaStatus.Disabled => "HA is DISABLED on this node",
        HaStatus.StaySecondary => "this node is STAYSECONDARY",
        _ => UplinkDown ?? "eligible",
    };

    private bool Evaluate()
    {
        var (role, reason) = Decide(time.GetUtcNow());
        WantsPrimary = role == HaRole.Primary;

        // The witness has the last word between two nodes: without its lease no node is primary, STAYPRIMARY included.
        if (role == HaRole.Primary && HasWitness && Peer is not null && WitnessDenies is { } denied)
        {
            (role, reason) = (HaRole.Secondary, $"{reason}; but not primary without the witness lease: {denied}");
        }
        if (role == Role)
        {
            // Same role, maybe a new why (the peer became primary while this node waited).
            Reason = reason;
            return false;
        }

        Transition(role, reason);
        return true;
    }

    private (HaRole Role, string Reason) Decide(DateTimeOffset now)
    {
        if (Peer is null)
        {
            return (HaRole.Primary, "no HA peer: this node runs alone");
        }

        if (!Eligible)
        {
            return (HaRole.Secondary, NotEligibleWhy());
        }

        if (Settings.Status == HaStatus.StayPrimary)
        {
            return (HaRole.Primary, "this node is STAYPRIMARY");
        }

        if (_handOverUntil > now)
        {
            return (HaRole.Secondary, Reason);
        }

        if (!PeerAlive)
        {
            if (Role == HaRole.Primary)
            {
                return (Role, Reason);
            }

            var silentSince = LastHeardAt ?? _started;
            return now - silentSince >= Settings.Dead
                ? (HaRole.Primary, LastHeardAt is null
                    ? $"no heartbeat from the peer {Peer.Address} within the dead interval ({Settings.DeadSeconds} s) since start"
                    : $"no heartbeat from the peer {Peer.Address} for the dead interval ({Settings.DeadSeconds} s)")
                : (Role, Reason);
        }

        var peer = LastHeard!;
        if (peer.Role == HaRole.Primary)
        {
            return Role == HaRole.Primary ? Contest(peer, now) : (HaRole.Secondary, $"the peer {Peer.Address} is primary");
        }

        if (Role == HaRole.Primary)
        {
            return (Role, Reason);
        }

        return peer.Flags.HasFlag(HeartbeatFlags.HandOver) ? (HaRole.Primary, "the peer handed over (force HA failover)")
            : _takeoverUntil > now ? (HaRole.Primary, "force HA failover: took over from the peer")
            : !peer.Flags.HasFlag(HeartbeatFlags.Eligible) ? (HaRole.Primary, $"the peer {Peer.Address} cannot be primary (its HA status or uplink)")
            : Lower(Self, Peer.Address) ? (HaRole.Primary, "both nodes secondary: the lower address claims")
            : (HaRole.Secondary, $"waiting for the peer {Peer.Address} to claim (lower address)");
    }

    /// <summary>Both primary: the one that keeps the role, seen the same way from both sides.</summary>
    private (HaRole Role, string Reason) Contest(Heartbeat peer, DateTimeOffset now)
    {
        if (peer.Flags.HasFlag(HeartbeatFlags.StayPrimary))
        {
            return (HaRole.Secondary, "both primary: the peer is STAYPRIMARY");
        }

        // The peer's duration as of now: its heartbeat is up to one hello old.
        var theirs = TimeSpan.FromMilliseconds(peer.PrimaryForMilliseconds) + (now - LastHeardAt!.Value);
        var mine = PrimarySince is { } since ? now - since : TimeSpan.Zero;
        if ((mine - theirs).Duration() < ContestMargin)
        {
            return Lower(Self, Peer!.Address) ? (Role, Reason) : (HaRole.Secondary, "both primary: the peer has the lower address");
        }

        return mine > theirs ? (Role, Reason) : (HaRole.Secondary, "both primary (heartbeats back): the peer has been primary longer");
    }

    private void Transition(HaRole role, string reason)
    {
        var now = time.GetUtcNow();
        Role = role;
        Reason = reason;
        LastTransition = now;
        PrimarySince = role == HaRole.Primary ? now : null;
        Transitions++;
        if (role == HaRole.Primary)
        {
            _takeoverUntil = null;
        }
    }

    internal static bool Lower(IPAddress a, IPAddress b)
    {
        var x = a.GetAddressBytes();
        var y = b.GetAddressBytes();
        return x.Length != y.Length ? x.Length < y.Length : x.AsSpan().SequenceCompareTo(y) < 0;
    }
}
