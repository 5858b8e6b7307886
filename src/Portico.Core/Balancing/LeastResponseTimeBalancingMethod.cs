using Portico.Runtime;

namespace Portico.Balancing;

/// <summary>
/// LEASTRESPONSETIME, as NetScaler defines it for HTTP: the member with the smallest product of its
/// active transactions and its average time to first byte, relative to its weight. A member without a
/// measurement yet counts as fast as the fastest measured one, so a new member is tried without being
/// flooded. Where nothing is measured (the L4 path) every member has the same time and the method is
/// LEASTCONNECTION, which is what NetScaler falls back to.
/// </summary>
public sealed class LeastResponseTimeBalancingMethod(IReadOnlyList<BalancingMember> members) : IBalancingMethod
{
    private long _start = -1;

    public BalancingMember? Choose(in BalancingContext context)
    {
        var n = members.Count;
        if (n == 0)
        {
            return null;
        }

        long fastest = long.MaxValue;
        for (var i = 0; i < n; i++)
        {
            var t = Volatile.Read(ref members[i].Service.Counters.ResponseTimeAverageMicros);
            if (t > 0 && t < fastest)
            {
                fastest = t;
            }
        }

        if (fastest == long.MaxValue)
        {
            fastest = 1;
        }

        var start = (int)(Interlocked.Increment(ref _start) % n);
        BalancingMember? best = null;
        UInt128 bestScore = 0;
        for (var k = 0; k < n; k++)
        {
            var m = members[(start + k) % n];
            if (!m.CanTake)
            {
                continue;
            }

            var time = Volatile.Read(ref m.Service.Counters.ResponseTimeAverageMicros);
            var active = Volatile.Read(ref m.Service.Counters.CurrentConnections);

            // (active+1) × time / weight, compared by cross-multiplying; UInt128 cannot overflow here.
            var load = (UInt128)(ulong)(active + 1) * (ulong)(time > 0 ? time : fastest);
            if (best is null || load * (ulong)best.Weight < bestScore * (ulong)m.Weight)
            {
                best = m;
                bestScore = load;
            }
        }

        return best;
    }

    public void OnMembershipChanged()
    {
    }
}
