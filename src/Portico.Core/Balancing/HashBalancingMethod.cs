using Portico.Runtime;

namespace Portico.Balancing;

/// <summary>
/// SOURCEIPHASH, SRCIPSRCPORTHASH, URLHASH and MAGLEV: a hash of the connection picks the member
/// through a <see cref="StableMaglev"/>. A member going down moves only its own keys, and gets exactly
/// those back when it returns; one at its <c>-maxClient</c> limit lends its key to the next slot's
/// member for that connection only.
/// </summary>
public sealed class HashBalancingMethod : IBalancingMethod
{
    private const int FallbackProbes = 64;
    private readonly IReadOnlyList<BalancingMember> _members;
    private readonly HashKey _key;
    private readonly MaglevTable _all;
    private volatile StableMaglev _choice;

    public HashBalancingMethod(IReadOnlyList<BalancingMember> members, HashKey key, int tableSize = MaglevTable.DefaultSize)
    {
        _members = members;
        _key = key;
        _all = new MaglevTable([.. members.Select(m => m.Service.Name)], [.. members.Select(m => m.Weight)], tableSize);
        _choice = Build();
    }

    public BalancingMember? Choose(in BalancingContext context)
    {
        var choice = _choice;
        var hash = FlowHash.Of(_key, context);
        var index = choice.Lookup(hash);
        if (index < 0)
        {
            return null;
        }

        var m = _members[index];
        if (m.CanTake)
        {
            return m;
        }

        for (var step = 1; step <= FallbackProbes; step++)
        {
            m = _members[choice.LookupAfter(hash, step)];
            if (m.CanTake)
            {
                return m;
            }
        }

        return null;
    }

    public void OnMembershipChanged() => _choice = Build();

    private StableMaglev Build() =>
        StableMaglev.Over(_all, [.. _members.Select(m => m.Service.IsAvailable)]);
}
