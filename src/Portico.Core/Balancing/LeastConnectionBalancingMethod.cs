using Portico.Runtime;

namespace Portico.Balancing;

/// <summary>
/// LEASTCONNECTION, NetScaler's default: the member with the fewest open connections relative to its
/// weight. Ties are broken in turn, so that sequential short connections still spread over members.
/// </summary>
public sealed class LeastConnectionBalancingMethod(IReadOnlyList<BalancingMember> members) : IBalancingMethod
{
    private long _start = -1;

    public BalancingMember? Choose(in BalancingContext context)
    {
        var n = members.Count;
        if (n == 0)
        {
            return null;
        }

        var start = (int)(Interlocked.Increment(ref _start) % n);
        BalancingMember? best = null;
        long bestLoad = 0;
        for (var k = 0; k < n; k++)
        {
            var m = members[(start + k) % n];
            if (!m.CanTake)
            {
                continue;
            }

            var load = Volatile.Read(ref m.Service.Counters.CurrentConnections);

            // Compare (load+1)/weight without division: a/wa < b/wb  <=>  a*wb < b*wa.
            if (best is null || (load + 1) * best.Weight < (bestLoad + 1) * m.Weight)
            {
                best = m;
                bestLoad = load;
            }
        }

        return best;
    }

    public void OnMembershipChanged()
    {
    }
}
