using Portico.Geo;

namespace Portico.Acl.Compiled;

/// <summary>
/// The extended ACLs of one family compiled by <c>apply ns acls</c>: first-match in priority order,
/// answered without scanning the rules.
/// <para>
/// Each rule is filed under its most selective condition (the narrowest source range, destination
/// range, destination port, source port or country list; <c>!=</c> ranges count as their complement)
/// in an <see cref="IntervalIndex"/> for that dimension, or a country table. Rules with no selective
/// condition (protocol only, or wide <c>!=</c> ranges) form a short generic list. A lookup asks each
/// index for its best (lowest-rank) fully matching rule, passing the best so far so the others stop
/// early, and takes the lowest rank: exactly the first rule in priority order that matches.
/// </para>
/// </summary>
public sealed class AclTable
{
    public static readonly AclTable Empty = Compile([], AclFamily.V4, 0);

    private const double SelectiveEnough = 0.5;
    private readonly CompiledRule[] _rules;
    private readonly ExtendedAcl[] _sources;
    private readonly IntervalIndex? _bySource;
    private readonly IntervalIndex? _byDestination;
    private readonly IntervalIndex? _byDestinationPort;
    private readonly IntervalIndex? _bySourcePort;
    private readonly int[][]? _byCountry;
    private readonly int[] _generic;

    private AclTable(CompiledRule[] rules, ExtendedAcl[] sources, IntervalIndex? bySource, IntervalIndex? byDestination,
        IntervalIndex? byDestinationPort, IntervalIndex? bySourcePort, int[][]? byCountry, int[] generic)
    {
        _rules = rules;
        _sources = sources;
        _bySource = bySource;
        _byDestination = byDestination;
        _byDestinationPort = byDestinationPort;
        _bySourcePort = bySourcePort;
        _byCountry = byCountry;
        _generic = generic;
        UsesCountry = sources.Any(s => s.SourceCountry is not null);
        HasTtl = sources.Any(s => s.ExpiresAtTicks != 0);
    }

    /// <summary>Rules in the table (enabled, unexpired at apply, able to match TCP or UDP).</summary>
    public int Count => _rules.Length;

    /// <summary>True when a rule looks at the client's country: only then is the GeoIP database consulted.</summary>
    public bool UsesCountry { get; }

    /// <summary>True when a rule has a TTL: only then is the clock read per lookup.</summary>
    public bool HasTtl { get; }

    /// <summary>The rules in evaluation order.</summary>
    public IReadOnlyList<ExtendedAcl> Rules => _sources;

    /// <summary>How many rules each index holds, for <c>show ns acl</c> and the design note.</summary>
    public string Layout =>
        $"source {Filed(_bySource)}, destination {Filed(_byDestination)}, destination port {Filed(_byDestinationPort)}, "
        + $"source port {Filed(_bySourcePort)}, country {_byCountry?.Sum(l => l.Length) ?? 0}, generic {_generic.Length}";

    /// <summary>The first rule in priority order that matches, or null.</summary>
    public ExtendedAcl? Match(in AclPacket packet, long nowTicks)
    {
        var best = int.MaxValue;
        if (_bySource is not null)
        {
            best = _bySource.Best(packet.Source, best, _rules, packet, nowTicks);
        }

        if (_byDestination is not null)
        {
            best = _byDestination.Best(packet.Destination, best, _rules, packet, nowTicks);
        }

        if (_byDestinationPort is not null)
        {
            best = _byDestinationPort.Best((uint)packet.DestinationPort, best, _rules, packet, nowTicks);
        }

        if (_bySourcePort is not null)
        {
            best = _bySourcePort.Best((uint)packet.SourcePort, best, _rules, packet, nowTicks);
        }

        if (_byCountry is not null && packet.Country >= 0)
        {
            best = First(_byCountry[packet.Country], best, packet, nowTicks);
        }

        best = First(_generic, best, packet, nowTicks);
        return best == int.MaxValue ? null : _sources[best];
    }

    /// <summary>
    /// Compiles rules given in evaluation order (priority, then creation). Disabled rules, rules whose TTL
    /// has run out, and rules for protocols Portico never sees are left out.
    /// </summary>
    public static AclTable Compile(IEnumerable<ExtendedAcl> ordered, AclFamily family, long nowTicks)
    {
        var sources = ordered.Where(r => r.Enabled && r.CanMatchTcpOrUdp && !r.IsExpired(nowTicks)).ToArray();
        var rules = sources.Select(r => new CompiledRule(r)).ToArray();
        var partitions = new List<(int Rank, UInt128 Low, UInt128 High)>[4];
        for (var i = 0; i < partitions.Length; i++)
        {
            partitions[i] = [];
        }

        List<int>[]? byCountry = null;
        var generic = new List<int>();
        var addressSpace = family == AclFamily.V4 ? (AclAddress.V4First, AclAddress.V4Last) : (UInt128.Zero, UInt128.MaxValue);
        var portSpace = (UInt128.Zero, (UInt128)65535);
        for (var rank = 0; rank < sources.Length; rank++)
        {
            var r = sources[rank];
            var conditions = new (AclRange? Range, (UInt128, UInt128) Space)[]
            {
                (r.Source, addressSpace), (r.Destination, addressSpace), (r.DestinationPort, portSpace), (r.SourcePort, portSpace),
            };
            var chosen = -1;
            var narrowest = SelectiveEnough;
            for (var d = 0; d < conditions.Length; d++)
            {
                if (conditions[d].Range is { } range && Share(range, conditions[d].Space) is var share && share < narrowest)
                {
                    (chosen, narrowest) = (d, share);
                }
            }

            if (r.SourceCountry is { Negate: false } country && (double)country.Countries.Codes.Length / CountryCodes.All.Count < narrowest)
            {
                byCountry ??= [.. Enumerable.Range(0, 256).Select(_ => new List<int>())];
                foreach (var code in country.Countries.Codes)
                {
                    byCountry[CountryCodes.IdOf(code)].Add(rank);
                }
            }
            else if (chosen >= 0)
            {
                foreach (var (low, high) in Pieces(conditions[chosen].Range!.Value, conditions[chosen].Space))
                {
                    partitions[chosen].Add((rank, low, high));
                }
            }
            else
            {
                generic.Add(rank);
            }
        }

        IntervalIndex? Index(int d) => partitions[d].Count == 0 ? null : IntervalIndex.Build(partitions[d]);
        return new AclTable(rules, sources, Index(0), Index(1), Index(2), Index(3),
            byCountry?.Select(l => l.ToArray()).ToArray(), [.. generic]);
    }

    private int First(int[] ranks, int best, in AclPacket packet, long nowTicks)
    {
        foreach (var rank in ranks)
        {
            if (rank >= best)
            {
                break;
            }

            if (_rules[rank].Matches(packet, nowTicks))
            {
                return rank;
            }
        }

        return best;
    }

    /// <summary>The share of the dimension's space a condition accepts (a <c>!=</c> accepts the rest).</summary>
    private static double Share(AclRange range, (UInt128 Low, UInt128 High) space)
    {
        var size = (double)(space.High - space.Low) + 1;
        var inside = (double)(range.High - range.Low) + 1;
        return range.Negate ? 1 - (inside / size) : inside / size;
    }

    /// <summary>The range itself, or for <c>!=</c> the one or two pieces of the space around it.</summary>
    private static IEnumerable<(UInt128 Low, UInt128 High)> Pieces(AclRange range, (UInt128 Low, UInt128 High) space)
    {
        if (!range.Negate)
        {
            yield return (range.Low, range.High);
            yield break;
        }

        if (range.Low > space.Low)
        {
            yield return (space.Low, range.Low - 1);
        }

        if (range.High < space.High)
        {
            yield return (range.High + 1, space.High);
        }
    }

    private static int Filed(IntervalIndex? index) => index?.Entries ?? 0;
}
