using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Balancing;

/// <summary>
/// The built-in methods by the operator's word. Every hash-based method is consistent (Maglev), so a
/// member leaving moves only its own share: MAGLEV is Portico's name for hashing the whole flow
/// (client and VIP addresses and ports), the choice that lets several Portico nodes agree.
/// </summary>
public static class BalancingMethods
{
    public static IBalancingMethod Create(LbMethod method, IReadOnlyList<BalancingMember> members) => method switch
    {
        LbMethod.RoundRobin => new RoundRobinBalancingMethod(members),
        LbMethod.LeastConnection => new LeastConnectionBalancingMethod(members),
        LbMethod.SourceIpHash => new HashBalancingMethod(members, HashKey.SourceIp),
        LbMethod.SrcIpSrcPortHash => new HashBalancingMethod(members, HashKey.SourceIpSourcePort),
        LbMethod.UrlHash => new HashBalancingMethod(members, HashKey.Url),
        LbMethod.Maglev => new HashBalancingMethod(members, HashKey.FiveTuple),

        // Without response times to compare (L4) it behaves as LEASTCONNECTION, as NetScaler falls back.
        LbMethod.LeastResponseTime => new LeastResponseTimeBalancingMethod(members),
        _ => new LeastConnectionBalancingMethod(members),
    };
}
