using Portico.Balancing;

namespace Portico.Runtime;

/// <summary>The member chosen for a connection and the vserver whose balancing chose it.</summary>
public readonly record struct Selection(BalancingMember Member, VserverRuntime ServedBy);

/// <summary>
/// Chooses a member for a new connection, including NetScaler's hand-over to the backup vserver:
/// when the vserver has no member that can take it (every service DOWN, disabled or full), while
/// <c>-disablePrimaryOnDown</c> holds it on its backup, or when it is past its spillover threshold
/// (<c>-soMethod CONNECTION -soThreshold n</c>). The chosen member is already reserved.
/// </summary>
public static class VserverSelector
{
    private const int MaxBackupDepth = 8;
    private const int ReserveAttempts = 4;

    public static Selection? Select(VserverRuntime vserver, in BalancingContext context) => Select(vserver, context, 0);

    /// <summary>
    /// Like <see cref="Select(VserverRuntime, in BalancingContext)"/>, for a retry after <paramref name="failed"/>
    /// could not be reached: a member other than it when the vserver has one. Round robin with clients
    /// interleaving could otherwise hand the retry straight back to the dead member.
    /// </summary>
    public static Selection? SelectAvoiding(VserverRuntime vserver, in BalancingContext context, ServiceRuntime? failed)
    {
        const int Asks = 3;
        for (var ask = 1; ; ask++)
        {
            var selection = Select(vserver, context, 0);
            if (selection is not { } s || failed is null || s.Member.Service != failed || ask == Asks)
            {
                return selection;
            }

            s.Member.Service.Release();
        }
    }

    /// <summary>
    /// Whether <paramref name="owner"/> is the vserver of <paramref name="vserver"/>'s chain that serves new
    /// clients now: a persisted member of a backup vserver is given up once a vserver before it in the chain
    /// can serve again (NetScaler's failback; a sorry server keeps nobody). While <c>-disablePrimaryOnDown</c>
    /// holds the primary, or while it spills over, its backup keeps serving and so keeps its clients.
    /// </summary>
    public static bool ServesNow(VserverRuntime vserver, VserverRuntime owner)
    {
        var v = vserver;
        for (var depth = 0; depth < MaxBackupDepth && v is not null; depth++)
        {
            if (v == owner)
            {
                return true;
            }

            var held = v.Hold.IsHeld && v.Backup is not null;
            var spill = !held && v.Config.SpilloverThreshold is { } threshold && v.Backup is not null
                && Volatile.Read(ref v.Counters.CurrentClientConnections) > threshold;
            if (!held && !spill && CanTakeAny(v))
            {
                return false;
            }

            v = v.Backup;
        }

        return false;
    }

    private static bool CanTakeAny(VserverRuntime v)
    {
        foreach (var m in v.Members)
        {
            if (m.CanTake)
            {
                return true;
            }
        }

        return false;
    }

    private static Selection? Select(VserverRuntime v, in BalancingContext context, int depth)
    {
        if (depth >= MaxBackupDepth)
        {
            return null;
        }

        var held = v.Hold.IsHeld && v.Backup is not null;
        var spill = !held && v.Config.SpilloverThreshold is { } threshold && v.Backup is not null
            && Volatile.Read(ref v.Counters.CurrentClientConnections) > threshold;
        if (!held && !spill && Choose(v, context) is { } own)
        {
            return own;
        }

        if (v.Backup is not null && Select(v.Backup, context, depth + 1) is { } fromBackup)
        {
            Interlocked.Increment(ref v.Counters.ToBackup);
            return fromBackup;
        }

        // Spillover is a preference, not a limit: when no backup can take the connection, the primary
        // keeps it rather than refusing a client it has members for (NetScaler's -soBackupAction ACCEPT).
        return spill ? Choose(v, context) : null;
    }

    private static Selection? Choose(VserverRuntime v, in BalancingContext context)
    {
        for (var attempt = 0; attempt < ReserveAttempts; attempt++)
        {
            var m = v.Balancer.Choose(context);
            if (m is null)
            {
                return null;
            }

            if (m.Service.TryReserve())
            {
                return new Selection(m, v);
            }
        }

        return null;
    }
}
