namespace Portico.Balancing;

/// <summary>
/// SOURCEIPHASH, SRCIPSRCPORTHASH, URLHASH and MAGLEV: a hash of the connection picks the member
/// through a <see cref="MaglevTable"/> built over the members that are up. A member going down
/// rebuilds the table, which moves only that member's share of keys; one at its <c>-maxClient</c>
/// limit lends its key to the next slot's member for that connection only.
/// </summary>
public sealed class HashBalancingMethod : IBalancingMethod
{
    private const int FallbackProbes = 64;
    private readonly IReadOnlyList<BalancingMember> _members;
    private readonly HashKey _key;
    private readonly int _tableSize;
    private volatile Built _built;

    public HashBalancingMethod(IReadOnlyList<BalancingMember> members, HashKey key, int tableSize = MaglevTable.DefaultSize)
    {
        _members = members;
        _key = key;
        _tableSize = tableSize;
        _built = Build();
    }

    public BalancingMember? Choose(in BalancingContext context)
    {
        var built = _built;
        if (built.Members.Length == 0)
        {
            return null;
        }

        var hash = FlowHash.Of(_key, context);
        var m = built.Members[built.Table.Lookup(hash)];
        if (m.CanTake)
        {
            return m;
        }

        for (var step = 1; step <= FallbackProbes; step++)
        {
            m = built.Members[built.Table.LookupAfter(hash, step)];
            if (m.CanTake)
            {
                return m;
            }
        }

        return null;
    }

    public void OnMembershipChanged() => _built = Build();

    private Built Build()
    {
        var up = _members.Where(m => m.Service.IsAvailable).ToArray();
        return new Built(up, new MaglevTable(up.Select(m => m.Service.Name).ToList(), up.Select(m => m.Weight).ToList(), _tableSize));
    }

    private sealed record Built(BalancingMember[] Members, MaglevTable Table);
}
