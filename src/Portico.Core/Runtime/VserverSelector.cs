using Portico.Balancing;

namespace Portico.Runtime;

/// <summary>The member chosen for a connection and the vserver whose balancing chose it.</summary>
public readonly record struct Selection(BalancingMember Member, VserverRuntime ServedBy);

/// <summary>
/// Chooses a member for a new connection, including NetScaler's hand-over to the backup vserver:
/// when the vserver has no member that can take it, or when it is past its spillover threshold
/// (<c>-soMethod CONNECTION -soThreshold n</c>). The chosen member is already reserved.
/// </summary>
public static class VserverSelector
{
    private const int MaxBackupDepth = 8;
    private const int ReserveAttempts = 4;

    public static Selection? Select(VserverRuntime vserver, in BalancingContext context)
    {
        var v = vserver;
        for (var depth = 0; depth < MaxBackupDepth && v is not null; depth++)
        {
            var spill = v.Config.SpilloverThreshold is { } threshold && v.Backup is not null
                && Volatile.Read(ref v.Counters.CurrentClientConnections) > threshold;
            if (!spill)
            {
                for (var attempt = 0; attempt < ReserveAttempts; attempt++)
                {
                    var m = v.Balancer.Choose(context);
                    if (m is null)
                    {
                        break;
                    }

                    if (m.Service.TryReserve())
                    {
                        return new Selection(m, v);
                    }
                }
            }

            if (v.Backup is null)
            {
                return null;
            }

            Interlocked.Increment(ref v.Counters.ToBackup);
            v = v.Backup;
        }

        return null;
    }
}
