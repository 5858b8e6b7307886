using Portico.Balancing;
using Portico.Runtime;

namespace Portico.Dsr;

/// <summary>
/// One <c>-m MAC</c> vserver compiled for its port: the VIP, protocol and port it matches, its members,
/// and the consistent hash over the members that are usable now. The choice is rebuilt by the forwarder
/// thread when usability changes (health, <c>disable service</c>, a server no longer answering ARP),
/// which moves only the new flows of the member that left; flows already recorded in the flow table stay.
/// </summary>
internal sealed class DsrVserver
{
    private bool[] _usable = [];
    private readonly MaglevTable _all;

    public DsrVserver(VserverRuntime runtime, uint vip, byte protocol, ushort port, HashKey key, DsrMember[] members, DsrCounters counters)
    {
        Runtime = runtime;
        Vip = vip;
        Protocol = protocol;
        Port = port;
        Key = key;
        Members = members;

        // Names, not addresses, key the table: every node with the same config builds the same one.
        _all = new MaglevTable([.. members.Select(m => m.Service.Name)], [.. members.Select(m => m.Weight)]);
        Counters = counters;
    }

    public VserverRuntime Runtime { get; }

    public uint Vip { get; }

    /// <summary>6 (TCP), 17 (UDP) or 0 (ANY: every IP protocol).</summary>
    public byte Protocol { get; }

    /// <summary>0 for any port.</summary>
    public ushort Port { get; }

    public HashKey Key { get; }

    public DsrMember[] Members { get; }

    public DsrCounters Counters { get; }

    /// <summary>The members usable at the last refresh, and their Maglev table; read per new flow.</summary>
    public DsrChoice Choice { get; private set; } = DsrChoice.Empty;

    /// <summary>Vserver-level deltas not yet added to the shared <c>stat lb vserver</c> counters.</summary>
    public long PendingFlows;

    public long PendingBytes;

    /// <summary>Rebuilds the choice if a member's usability changed; returns true when it did.</summary>
    public bool Refresh(long nowMs, int backendCount)
    {
        var usable = new bool[Members.Length];
        var changed = _usable.Length != usable.Length || Choice.MemberByBackend.Length < backendCount;
        for (var i = 0; i < Members.Length; i++)
        {
            usable[i] = Runtime.Config.Enabled && Members[i].Usable(nowMs);
            changed |= _usable.Length == usable.Length && _usable[i] != usable[i];
        }

        if (!changed)
        {
            return false;
        }

        _usable = usable;
        Choice = DsrChoice.Build(Members, usable, backendCount, _all);
        return true;
    }

    /// <summary>Adds pending deltas to the shared vserver and service counters.</summary>
    public void Flush()
    {
        if (PendingFlows != 0 || PendingBytes != 0)
        {
            Interlocked.Add(ref Runtime.Counters.TotalConnections, PendingFlows);
            Interlocked.Add(ref Runtime.Counters.Requests, PendingFlows);
            Interlocked.Add(ref Runtime.Counters.BytesFromClients, PendingBytes);
            PendingFlows = 0;
            PendingBytes = 0;
        }

        foreach (var m in Members)
        {
            m.Flush();
        }
    }
}

/// <summary>Which members of a DSR vserver take new flows, and the consistent hash that places them.</summary>
internal sealed class DsrChoice
{
    public static readonly DsrChoice Empty = new(StableMaglev.Empty, []);

    private DsrChoice(StableMaglev hash, int[] memberByBackend)
    {
        Hash = hash;
        MemberByBackend = memberByBackend;
    }

    /// <summary>Gives an index into the vserver's <see cref="DsrVserver.Members"/>; its <c>UpCount</c> is how many are usable.</summary>
    public StableMaglev Hash { get; }

    /// <summary>By backend id: the index in <see cref="DsrVserver.Members"/> of the usable member on that server, or -1.</summary>
    public int[] MemberByBackend { get; }

    /// <param name="all">The table over every member, built once per configuration.</param>
    public static DsrChoice Build(DsrMember[] members, bool[] usable, int backendCount, MaglevTable all)
    {
        var byBackend = new int[Math.Max(backendCount, 1)];
        Array.Fill(byBackend, -1);
        for (var i = 0; i < members.Length; i++)
        {
            if (usable[i] && byBackend[members[i].Backend.Id] < 0)
            {
                byBackend[members[i].Backend.Id] = i;
            }
        }

        return new DsrChoice(StableMaglev.Over(all, usable), byBackend);
    }
}
