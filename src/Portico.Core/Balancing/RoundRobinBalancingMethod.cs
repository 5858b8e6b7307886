using Portico.Runtime;

namespace Portico.Balancing;

/// <summary>
/// ROUNDROBIN: members in turn, as often as their weight says. The turn order is precomputed with
/// smooth weighted round robin (as nginx does) so a heavy member's turns are spread out, not bunched.
/// </summary>
public sealed class RoundRobinBalancingMethod : IBalancingMethod
{
    private readonly IReadOnlyList<BalancingMember> _members;
    private readonly int[] _order;
    private long _next = -1;

    public RoundRobinBalancingMethod(IReadOnlyList<BalancingMember> members)
    {
        _members = members;
        _order = SmoothOrder(members.Select(m => m.Weight).ToArray());
    }

    public BalancingMember? Choose(in BalancingContext context)
    {
        if (_order.Length == 0)
        {
            return null;
        }

        var start = Interlocked.Increment(ref _next);
        for (var i = 0; i < _order.Length; i++)
        {
            var m = _members[_order[(int)((start + i) % _order.Length)]];
            if (m.CanTake)
            {
                return m;
            }
        }

        return null;
    }

    public void OnMembershipChanged()
    {
    }

    internal static int[] SmoothOrder(int[] weights)
    {
        var total = weights.Sum();
        var current = new int[weights.Length];
        var order = new int[total];
        for (var k = 0; k < total; k++)
        {
            var best = 0;
            for (var i = 0; i < weights.Length; i++)
            {
                current[i] += weights[i];
                if (current[i] > current[best])
                {
                    best = i;
                }
            }

            current[best] -= total;
            order[k] = best;
        }

        return order;
    }
}
