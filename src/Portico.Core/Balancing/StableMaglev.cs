namespace Portico.Balancing;

/// <summary>
/// Consistent hashing in which a member that stays keeps every one of its keys. A <see cref="MaglevTable"/>
/// over every configured member decides first; only when that member is not up does a second table, over
/// the members up now, place the key. Maglev alone, rebuilt over the members up, moves a few keys between
/// members that stayed (its disruption is small, not zero: about 1% with five members). With two levels a
/// member going down moves only its own keys, and coming back takes exactly those back.
/// </summary>
public sealed class StableMaglev
{
    public static readonly StableMaglev Empty = Over(new MaglevTable([], [], 1), []);

    private readonly MaglevTable _all;
    private readonly bool[] _up;
    private readonly MaglevTable _upTable;
    private readonly int[] _upToAll;

    private StableMaglev(MaglevTable all, bool[] up, MaglevTable upTable, int[] upToAll)
    {
        _all = all;
        _up = up;
        _upTable = upTable;
        _upToAll = upToAll;
    }

    /// <summary>Members up, the ones <see cref="Lookup"/> can return.</summary>
    public int UpCount => _upToAll.Length;

    /// <summary>
    /// The choice for one state of the members. <paramref name="all"/> is the table over every member (built
    /// once per configuration, the expensive part); the table over the members up is built here, unless all are.
    /// </summary>
    public static StableMaglev Over(MaglevTable all, bool[] up)
    {
        var upToAll = Enumerable.Range(0, up.Length).Where(i => up[i]).ToArray();
        var upTable = upToAll.Length == up.Length
            ? all
            : new MaglevTable([.. upToAll.Select(i => all.Names[i])], [.. upToAll.Select(i => all.Weights[i])], all.Size);
        return new StableMaglev(all, up, upTable, upToAll);
    }

    /// <summary>The index (among all members) of the member up that owns <paramref name="hash"/>; -1 when none is up.</summary>
    public int Lookup(ulong hash)
    {
        if (_upToAll.Length == 0)
        {
            return -1;
        }

        var owner = _all.Lookup(hash);
        return _up[owner] ? owner : _upToAll[_upTable.Lookup(hash)];
    }

    /// <summary>The member up <paramref name="step"/> slots after the key's, for a fallback; -1 when none is up.</summary>
    public int LookupAfter(ulong hash, int step) =>
        _upToAll.Length == 0 ? -1 : _upToAll[_upTable.LookupAfter(hash, step)];
}
