using System.Net;
using Portico.Acl;
using Portico.Acl.Compiled;
using Portico.Geo;

namespace Portico.Core.Tests.Acl;

/// <summary>
/// The compiled table answers exactly what a scan of the rules in priority order would: checked against
/// that scan on random rule sets dense enough that rules overlap, nest and shadow each other.
/// </summary>
public class AclTableTests
{
    [Theory]
    [InlineData(1, 50)]
    [InlineData(2, 400)]
    [InlineData(3, 3000)]
    public void First_match_equals_a_scan_in_priority_order_for_ipv4(int seed, int count) =>
        CompareWithScan(seed, count, AclFamily.V4);

    [Theory]
    [InlineData(4, 300)]
    public void First_match_equals_a_scan_in_priority_order_for_ipv6(int seed, int count) =>
        CompareWithScan(seed, count, AclFamily.V6);

    [Fact]
    public void Priority_decides_between_overlapping_rules_and_a_miss_is_null()
    {
        var rules = new[]
        {
            Rule("allow-one", AclAction.Allow, src: Range("10.0.0.5", "10.0.0.5")),
            Rule("deny-net", AclAction.Deny, src: Range("10.0.0.0", "10.0.0.255")),
            Rule("deny-web-outside", AclAction.Deny, src: Range("10.0.0.0", "10.255.255.255", negate: true), dport: (80, 80)),
        };
        var table = AclTable.Compile(rules, AclFamily.V4, 0);
        Assert.Equal("allow-one", table.Match(Packet("10.0.0.5", 80), 0)?.Name);
        Assert.Equal("deny-net", table.Match(Packet("10.0.0.6", 80), 0)?.Name);
        Assert.Equal("deny-web-outside", table.Match(Packet("192.0.2.1", 80), 0)?.Name);
        Assert.Null(table.Match(Packet("192.0.2.1", 443), 0));
        Assert.Null(table.Match(Packet("10.1.0.1", 80), 0));
    }

    [Fact]
    public void A_country_rule_matches_by_the_country_id_of_the_packet()
    {
        var gb = CountryCodes.IdOf("GB");
        var rules = new[]
        {
            Rule("gb", AclAction.Deny) with { SourceCountry = new CountryMatch(false, new CountrySet(["GB", "FR"])) },
            Rule("not-kr", AclAction.Deny, dport: (22, 22)) with { SourceCountry = new CountryMatch(true, new CountrySet(["KR"])) },
        };
        var table = AclTable.Compile(rules, AclFamily.V4, 0);
        Assert.True(table.UsesCountry);
        Assert.Equal("gb", table.Match(Packet("1.2.3.4", 80) with { Country = gb }, 0)?.Name);
        Assert.Null(table.Match(Packet("1.2.3.4", 80) with { Country = CountryCodes.Unknown }, 0));
        Assert.Equal("not-kr", table.Match(Packet("1.2.3.4", 22) with { Country = CountryCodes.Unknown }, 0)?.Name);
        Assert.Null(table.Match(Packet("1.2.3.4", 22) with { Country = CountryCodes.IdOf("KR") }, 0));
    }

    [Fact]
    public void Ten_thousand_nested_ranges_stay_within_n_log_n_entries()
    {
        // Each range contains the next: a per-interval list would hold n²/2 entries, the segment tree O(n log n).
        var rules = Enumerable.Range(0, 10_000).Select(i => Rule($"r{i}", AclAction.Deny,
            src: new AclRange(false, AclAddress.V4First + (UInt128)i, AclAddress.V4Last - (UInt128)i))).ToList();
        var table = AclTable.Compile(rules, AclFamily.V4, 0);
        var entries = table.Layout.Split(',')[0].Split(' ')[1];
        Assert.True(int.Parse(entries, System.Globalization.CultureInfo.InvariantCulture) < 10_000 * 2 * 16, table.Layout);
        Assert.Equal("r0", table.Match(Packet("128.0.0.0", 1), 0)?.Name);
    }

    private static void CompareWithScan(int seed, int count, AclFamily family)
    {
        var random = new Random(seed);
        var rules = Enumerable.Range(0, count).Select(i => RandomRule(random, $"r{i}", family)).ToList();
        var table = AclTable.Compile(rules, family, 0);
        for (var i = 0; i < 20_000; i++)
        {
            var packet = RandomPacket(random, family);
            var expected = rules.FirstOrDefault(r => Scan(r, packet));
            var actual = table.Match(packet, 0);
            Assert.True(ReferenceEquals(expected, actual), $"packet {packet}: expected {expected?.Name ?? "none"}, got {actual?.Name ?? "none"}");
        }
    }

    /// <summary>The reference: every condition checked directly, as the documentation states it.</summary>
    private static bool Scan(ExtendedAcl r, AclPacket p)
    {
        static bool In(AclRange? range, UInt128 v) => range is not { } x || ((v >= x.Low && v <= x.High) ^ x.Negate);
        return r.Enabled && (r.Protocol == 0 || r.Protocol == p.Protocol)
            && In(r.Source, p.Source) && In(r.Destination, p.Destination)
            && In(r.SourcePort, (UInt128)(uint)p.SourcePort) && In(r.DestinationPort, (UInt128)(uint)p.DestinationPort)
            && (r.SourceCountry is null || (r.SourceCountry.Countries.Contains(p.Country) ^ r.SourceCountry.Negate));
    }

    private static readonly string[] Countries = ["GB", "FR", "US", "KR", "JP"];

    private static ExtendedAcl RandomRule(Random random, string name, AclFamily family)
    {
        AclRange? Addr()
        {
            if (random.Next(3) == 0)
            {
                return null;
            }

            var a = Base(family) + (UInt128)random.Next(1024);
            var width = random.Next(4) switch { 0 => 0, 1 => random.Next(8), 2 => random.Next(300), _ => random.Next(1500) };
            return new AclRange(random.Next(6) == 0, a, a + (UInt128)width);
        }

        AclRange? Port()
        {
            if (random.Next(2) == 0)
            {
                return null;
            }

            var a = random.Next(120);
            return new AclRange(random.Next(6) == 0, (UInt128)a, (UInt128)(a + (random.Next(3) == 0 ? random.Next(40) : 0)));
        }

        return new ExtendedAcl(name, family, random.Next(3) == 0 ? AclAction.Allow : AclAction.Deny)
        {
            Source = Addr(),
            Destination = random.Next(4) == 0 ? Addr() : null,
            SourcePort = random.Next(5) == 0 ? Port() : null,
            DestinationPort = Port(),
            Protocol = random.Next(4) switch { 0 => AclProtocols.Tcp, 1 => AclProtocols.Udp, _ => 0 },
            SourceCountry = random.Next(8) == 0
                ? new CountryMatch(random.Next(3) == 0, new CountrySet(Countries.Where(_ => random.Next(2) == 0).DefaultIfEmpty("GB")))
                : null,
            Enabled = random.Next(20) != 0,
        };
    }

    private static AclPacket RandomPacket(Random random, AclFamily family) => new(
        Base(family) + (UInt128)random.Next(3000), Base(family) + (UInt128)random.Next(3000), random.Next(200), random.Next(200),
        random.Next(2) == 0 ? AclProtocols.Tcp : AclProtocols.Udp,
        random.Next(6) == 0 ? CountryCodes.Unknown : CountryCodes.IdOf(Countries[random.Next(Countries.Length)]));

    private static UInt128 Base(AclFamily family) =>
        AclAddress.Key(IPAddress.Parse(family == AclFamily.V4 ? "10.20.0.0" : "2001:db8::"));

    private static ExtendedAcl Rule(string name, AclAction action, AclRange? src = null, (int Low, int High)? dport = null) =>
        new(name, AclFamily.V4, action)
        {
            Source = src,
            DestinationPort = dport is { } d ? new AclRange(false, (UInt128)d.Low, (UInt128)d.High) : null,
        };

    private static AclRange Range(string low, string high, bool negate = false) =>
        new(negate, AclAddress.Key(IPAddress.Parse(low)), AclAddress.Key(IPAddress.Parse(high)));

    private static AclPacket Packet(string source, int port) =>
        new(AclAddress.Key(IPAddress.Parse(source)), AclAddress.Key(IPAddress.Parse("192.0.2.10")), 40000, port, AclProtocols.Tcp, CountryCodes.Unknown);
}
