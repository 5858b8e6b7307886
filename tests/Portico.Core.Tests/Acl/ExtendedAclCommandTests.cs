using System.Net;
using Portico.Acl;
using Portico.Configuration;

namespace Portico.Core.Tests.Acl;

/// <summary><c>add|set|unset|rm|enable|disable|show|stat ns acl</c>, <c>apply|renumber|clear ns acls</c>, and acl6.</summary>
public class ExtendedAclCommandTests
{
    private static readonly string Geo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../testdata/geoip/GeoIP2-Country-Test.mmdb"));

    [Fact]
    public void Every_condition_form_is_read_and_written_back_in_canonical_form()
    {
        using var l = new AclLanguage();
        l.Apply($"""
            set ns geoip -database {Geo}
            add ns acl a1 DENY -srcIP 10.0.0.1
            add ns acl a2 DENY -srcIP = 10.0.0.0-10.0.0.255 -destPort = 80 -protocol TCP -priority 5
            add ns acl a3 ALLOW -srcIP != 192.168.0.0/16 -srcPort NEQ 1024-65535 -destIP EQ 192.0.2.10 -protocolNumber 17
            add ns acl a4 DENY -destPort !=443 -protocol UDP -state DISABLED -logstate ENABLED -ratelimit 5
            add ns acl a5 DENY -srcCountry = CN,RU -destPort 22 -protocol TCP
            add ns acl a6 ALLOW -srcCountry != GB -logstate ENABLED
            add ns acl6 b1 DENY -srcIPv6 = 2001:db8::-2001:db8::ffff -destPort 443 -protocol TCP
            add ns acl6 b2 ALLOW -srcIPv6 [2001:db8:1::1-2001:db8:1::9] -destIPv6 != 2001:db8::/32
            apply ns acls
            """);
        var text = ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch);
        Assert.Contains("add ns acl a2 DENY -srcIP = 10.0.0.0-10.0.0.255 -destPort = 80 -protocol TCP -priority 5\n", text);
        Assert.Contains("add ns acl a1 DENY -srcIP = 10.0.0.1 -priority 10\n", text);
        Assert.Contains("add ns acl a3 ALLOW -srcIP != 192.168.0.0-192.168.255.255 -srcPort != 1024-65535 -destIP = 192.0.2.10 -protocolNumber 17 -priority 20\n", text);
        Assert.Contains("add ns acl a4 DENY -destPort != 443 -protocol UDP -priority 30 -state DISABLED -logstate ENABLED -ratelimit 5\n", text);
        Assert.Contains("add ns acl a5 DENY -destPort = 22 -protocol TCP -srcCountry = CN,RU -priority 40\n", text);
        Assert.Contains("add ns acl a6 ALLOW -srcCountry != GB -priority 50 -logstate ENABLED\napply ns acls\n", text);
        Assert.Contains("add ns acl6 b1 DENY -srcIPv6 = 2001:db8::-2001:db8::ffff -destPort = 443 -protocol TCP -priority 10\n", text);
        Assert.Contains("add ns acl6 b2 ALLOW -srcIPv6 = 2001:db8:1::1-2001:db8:1::9 -destIPv6 != 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff -priority 20\napply ns acls6\n", text);

        using var again = new AclLanguage();
        again.Apply(text);
        Assert.Equal(text, ConfigWriter.Write(again.Config, DateTimeOffset.UnixEpoch));
        Assert.Equal(5, again.Config.ExtendedAcls.V4.Applied.Table.Count);
        Assert.Equal(2, again.Config.ExtendedAcls.V6.Applied.Table.Count);
    }

    [Theory]
    [InlineData("add ns acl r DENY -srcIP = 10.0.0.9-10.0.0.1", "10.0.0.9-10.0.0.1", "the range ends before it starts")]
    [InlineData("add ns acl r DENY -srcIP ~ 10.0.0.1", "~", "expected an operator (=, !=, EQ or NEQ)")]
    [InlineData("add ns acl r DENY -srcIP 10.0.0.1/33", "10.0.0.1/33", "prefix length 0..32")]
    [InlineData("add ns acl r DENY -srcIP 2001:db8::1", "2001:db8::1", "IPv6 rules are ns acl6")]
    [InlineData("add ns acl6 r DENY -srcIPv6 10.0.0.1", "10.0.0.1", "expected an IPv6 address")]
    [InlineData("add ns acl r DENY -destPort 70000", "70000", "expected a port 0..65535")]
    [InlineData("add ns acl r DENY -destPort 80 -protocol ICMP", "ICMP", "ports exist only for TCP and UDP")]
    [InlineData("add ns acl r DENY -protocol TCP -protocolNumber 6", "6", "give -protocol or -protocolNumber, not both")]
    [InlineData("add ns acl r DENY -protocol SCTP", "SCTP", "expected a protocol")]
    [InlineData("add ns acl r DENY -priority 100001", "100001", "from 1 to 100000")]
    [InlineData("add ns acl6 r DENY -priority 80001", "80001", "from 1 to 80000")]
    [InlineData("add ns acl r DENY -ratelimit 10", "10", "needs -logstate ENABLED")]
    [InlineData("add ns acl r DENY -srcCountry XX", "XX", "not an ISO 3166-1 alpha-2 country code")]
    [InlineData("add ns acl r DENY -srcCountry GB", "GB", "-srcCountry needs a GeoIP database: set ns geoip -database")]
    [InlineData("add ns acl r PERMIT", "PERMIT", "expected ALLOW, DENY or BRIDGE")]
    [InlineData("add ns acl r DENY -TTL 0", "0", "from 1 to 2147483647")]
    public void A_bad_rule_is_refused_naming_the_word_and_what_was_expected(string line, string word, string message)
    {
        using var l = new AclLanguage();
        var e = l.Fails(line);
        Assert.Equal(word, e.Word);
        Assert.Equal(line.LastIndexOf(word, StringComparison.Ordinal) + 1, e.Column);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Bridge_and_rules_narrowed_to_what_Portico_cannot_see_are_kept_but_never_applied()
    {
        using var l = new AclLanguage();
        var result = l.Run("add ns acl br BRIDGE -srcIP 10.0.0.1\nadd ns acl vl DENY -srcIP 10.0.0.2 -vlan 20\nadd ns acl ok DENY -srcIP 10.0.0.3\napply ns acls");
        Assert.True(result.Applied, result.Describe());
        Assert.Equal([1, 2], result.Unsupported.Select(u => u.Line));
        Assert.Contains("ACL action BRIDGE is not supported by Portico", result.Unsupported[0].Reason);
        Assert.Contains("-vlan narrows the rule", result.Unsupported[1].Reason);
        Assert.Equal(["ok"], l.Config.ExtendedAcls.V4.Applied.Table.Rules.Select(r => r.Name));
        Assert.Contains("add ns acl br BRIDGE -srcIP 10.0.0.1", ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Rules_Portico_never_sees_traffic_for_are_accepted_with_a_note()
    {
        using var l = new AclLanguage();
        var result = l.Run("add ns acl icmp DENY -protocol ICMP\nadd ns acl est ALLOW -protocol TCP -established\napply ns acls");
        Assert.True(result.Applied, result.Describe());
        Assert.Contains(result.Notes, n => n.Message.Contains("protocol ICMP: Portico sees only TCP and UDP", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.Message.Contains("-established: it matches only packets with ACK or RST", StringComparison.Ordinal));
        Assert.Equal(0, l.Config.ExtendedAcls.V4.Applied.Table.Count);
    }

    [Fact]
    public void Changes_are_pending_until_apply_and_show_says_which()
    {
        using var l = new AclLanguage();
        l.Apply("add ns acl keep DENY -srcIP 10.0.0.1\nadd ns acl gone DENY -srcIP 10.0.0.2\nadd ns acl changed DENY -srcIP 10.0.0.3\napply ns acls");
        l.Apply("add ns acl new ALLOW -srcIP 10.0.0.4\nrm ns acl gone\nset ns acl changed -destPort 22 -protocol TCP");
        var v4 = l.Config.ExtendedAcls.V4;
        Assert.Equal(["keep", "gone", "changed"], v4.Applied.Table.Rules.Select(r => r.Name));
        Assert.Null(v4.Applied.Table.Rules.Single(r => r.Name == "changed").DestinationPort);

        var shown = l.Apply("show ns acl");
        Assert.Contains("3 extended ACL(s); 3 in force; 3 pending: apply ns acls puts them in force", shown);
        Assert.Matches(@"keep\s+DENY\s+10\s+ENABLED\s+APPLIED", shown);
        Assert.Matches(@"changed\s+DENY\s+30\s+ENABLED\s+RE-APPLY", shown);
        Assert.Matches(@"new\s+ALLOW\s+40\s+ENABLED\s+NOTAPPLIED", shown);
        Assert.Matches(@"gone\s+DENY\s+20\s+ENABLED\s+DELETE", shown);
        Assert.Contains("Applied Status: NOTAPPLIED", l.Apply("show ns acl new"));

        l.Apply("apply ns acls");
        v4 = l.Config.ExtendedAcls.V4;
        Assert.Equal(["keep", "changed", "new"], v4.Applied.Table.Rules.Select(r => r.Name));
        Assert.False(v4.HasPending(l.Now));
        Assert.DoesNotContain("pending", l.Apply("show ns acl"));
    }

    [Fact]
    public void Enable_disable_renumber_and_clear()
    {
        using var l = new AclLanguage();
        l.Apply("add ns acl a DENY -srcIP 10.0.0.1 -priority 7\nadd ns acl b DENY -srcIP 10.0.0.2 -priority 3\nadd ns acl c DENY -srcIP 10.0.0.3 -priority 99\napply ns acls");
        Assert.Contains("priority 3 is taken by 'b'", l.Fails("add ns acl d DENY -priority 3").Message);

        l.Apply("disable ns acl a c\nrenumber ns acls");
        var v4 = l.Config.ExtendedAcls.V4;
        Assert.Equal([("b", 10L), ("a", 20L), ("c", 30L)], v4.Ordered(l.Now).Select(r => (r.Name, r.Priority)));
        Assert.Equal(3, v4.Applied.Table.Count);
        l.Apply("apply ns acls");
        Assert.Equal(["b"], l.Config.ExtendedAcls.V4.Applied.Table.Rules.Select(r => r.Name));
        Assert.Matches(@"a\s+DENY\s+20\s+DISABLED\s+APPLIED", l.Apply("show ns acl"));

        l.Apply("enable ns acl a\nadd ns acl6 six DENY -srcIPv6 ::5\napply ns acls6\nclear ns acls");
        Assert.Empty(l.Config.ExtendedAcls.V4.Rules);
        Assert.Equal(0, l.Config.ExtendedAcls.V4.Applied.Table.Count);
        Assert.Equal(1, l.Config.ExtendedAcls.V6.Applied.Table.Count);
    }

    [Fact]
    public void A_rule_without_priority_is_evaluated_after_every_rule_added_before_it()
    {
        using var l = new AclLanguage();
        l.Apply("add ns acl a DENY -srcIP 10.0.0.1\nadd ns acl b DENY -srcIP 10.0.0.2 -priority 97\nadd ns acl c DENY -srcIP 10.0.0.3\nadd ns acl d DENY -priority 5");
        Assert.Equal([("d", 5L), ("a", 10L), ("b", 97L), ("c", 100L)], l.Config.ExtendedAcls.V4.Ordered(l.Now).Select(r => (r.Name, r.Priority)));
        l.Apply("add ns acl high DENY -priority 99995\nadd ns acl next DENY");
        Assert.Equal(100000, l.Config.ExtendedAcls.V4.Find("next", l.Now)!.Priority);
        Assert.Contains("no priority is left after 100000", l.Fails("add ns acl more DENY").Message);
    }

    [Fact]
    public void Set_and_unset_change_conditions_and_keep_hits()
    {
        using var l = new AclLanguage();
        l.Apply("add ns acl r DENY -srcIP 10.0.0.1 -destPort 80 -protocol TCP -logstate ENABLED -ratelimit 3");
        var before = l.Config.ExtendedAcls.V4.Find("r", l.Now)!;
        Interlocked.Add(ref before.Counters.Hits, 7);
        l.Apply("set ns acl r -aclaction ALLOW -srcIP 10.0.0.0/8\nunset ns acl r -destPort -protocol -logstate -ratelimit");
        var after = l.Config.ExtendedAcls.V4.Find("r", l.Now)!;
        Assert.Equal((AclAction.Allow, (AclRange?)null, (byte)0, false, 100L), (after.Action, after.DestinationPort, after.Protocol, after.Log, after.RateLimit));
        Assert.Equal(AclAddress.Key(IPAddress.Parse("10.255.255.255")), after.Source!.Value.High);
        Assert.Equal(7, Interlocked.Read(ref after.Counters.Hits));
        Assert.Contains("BRIDGE is not supported by Portico", l.Fails("set ns acl r -aclaction BRIDGE").Message);
        Assert.Contains("no ns acl named 'q'", l.Fails("set ns acl q -srcIP 10.0.0.1").Message);
    }

    [Fact]
    public void A_rule_with_a_ttl_expires_and_is_not_saved()
    {
        using var l = new AclLanguage();
        l.Apply("add ns acl t DENY -srcIP 10.0.0.1 -TTL 30\nadd ns acl p DENY -srcIP 10.0.0.2\napply ns acls");
        Assert.DoesNotContain("acl t", ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch));
        var packet = new Portico.Acl.Compiled.AclPacket(AclAddress.Key(IPAddress.Parse("10.0.0.1")), AclAddress.Key(IPAddress.Loopback), 5000, 80, AclProtocols.Tcp, -1);
        Assert.Equal("t", l.Config.ExtendedAcls.V4.Applied.Table.Match(packet, l.Now)?.Name);
        l.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(l.Config.ExtendedAcls.V4.Applied.Table.Match(packet, l.Now));
        var shown = l.Apply("show ns acl");
        Assert.DoesNotMatch(@"(?m)^t\s", shown);
        Assert.Matches(@"(?m)^p\s", shown);
    }

    [Fact]
    public void The_ns_group_may_be_left_out_as_on_NetScaler()
    {
        using var l = new AclLanguage();
        l.Apply("add simpleacl s DENY -srcIP 10.0.0.1\nadd acl a DENY -srcIP 10.0.0.2\nrenumber acls\napply acls");
        Assert.Contains("s ", l.Apply("show simpleacl"));
        Assert.Matches(@"a\s+DENY\s+10\s+ENABLED\s+APPLIED", l.Apply("sh acl"));
        Assert.Contains("Hits for this ACL (Hits): 0", l.Apply("stat acl a"));
    }
}
