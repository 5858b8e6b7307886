using System.Net;
using Portico.Acl;
using Portico.Configuration;

namespace Portico.Core.Tests.Acl;

/// <summary><c>add|rm|clear|show|stat ns simpleacl</c> and <c>simpleacl6</c>: every form and every bad input.</summary>
public class SimpleAclCommandTests
{
    [Fact]
    public void Every_rule_form_is_accepted_for_both_families()
    {
        using var l = new AclLanguage();
        l.Apply("""
            add ns simpleacl all DENY -srcIP 10.0.0.1
            add ns simpleacl web DENY -srcIP 10.0.0.2 -destPort 80 -protocol TCP
            add ns simpleacl dns DENY -srcIP 10.0.0.2 -destPort 53 -protocol UDP -TTL 3600
            add ns simpleacl6 all6 DENY -srcIPv6 2001:db8::1
            add ns simpleacl6 web6 DENY -srcIPv6 2001:db8::2 -destPort 443 -protocol tcp -TTL 4
            add simpleacl abbreviated deny -srcIP 10.0.0.3 -td 0
            """);
        var set = l.Config.SimpleAcls;
        Assert.Equal(["all", "web", "dns", "abbreviated"], set.Live(AclFamily.V4, l.Now).Select(r => r.Name));
        Assert.Equal(["all6", "web6"], set.Live(AclFamily.V6, l.Now).Select(r => r.Name));
        var dns = set.Find(AclFamily.V4, "dns", l.Now)!;
        Assert.Equal((AclProtocols.Udp, 53, 3600L), (dns.Protocol, dns.DestinationPort, dns.TtlSeconds!.Value));
        Assert.Equal(l.Now + TimeSpan.FromHours(1).Ticks, dns.ExpiresAtTicks);
        Assert.True(set.Find(AclFamily.V4, "all", l.Now)!.AllPorts);
        Assert.Equal(IPAddress.Parse("2001:db8::2"), set.Find(AclFamily.V6, "web6", l.Now)!.Source);
    }

    [Theory]
    [InlineData("add ns simpleacl r DENY -srcIP 10.0.0.1 -TTL 10", 46, "10", "multiple of 4")]
    [InlineData("add ns simpleacl r DENY -srcIP 10.0.0.1 -TTL 0", 46, "0", "from 4 to 2147483647")]
    [InlineData("add ns simpleacl r DENY -srcIP 10.0.0.1 -TTL 2147483648", 46, "2147483648", "from 4 to 2147483647")]
    [InlineData("add ns simpleacl r DENY -srcIP 10.0.0.1 -destPort 80", 51, "80", "-destPort needs -protocol TCP or UDP")]
    [InlineData("add ns simpleacl r DENY -srcIP 10.0.0.1 -protocol TCP", 51, "TCP", "-protocol goes with -destPort")]
    [InlineData("add ns simpleacl r DENY -srcIP 10.0.0.1 -destPort 80 -protocol ICMP", 64, "ICMP", "expected TCP or UDP")]
    [InlineData("add ns simpleacl r DENY -srcIP 10.0.0.1 -destPort 0 -protocol TCP", 51, "0", "from 1 to 65535")]
    [InlineData("add ns simpleacl r ALLOW -srcIP 10.0.0.1", 20, "ALLOW", "expected DENY: a simple ACL only drops")]
    [InlineData("add ns simpleacl r DENY", 1, "add ns simpleacl", "needs the address to block: -srcIP")]
    [InlineData("add ns simpleacl r DENY -srcIP 10.0.0.0-10.0.0.9", 32, "10.0.0.0-10.0.0.9", "expected an IPv4 or IPv6 address")]
    [InlineData("add ns simpleacl r DENY -srcIP 2001:db8::1", 32, "2001:db8::1", "add ns simpleacl6 ... -srcIPv6")]
    [InlineData("add ns simpleacl6 r DENY -srcIPv6 10.0.0.1", 35, "10.0.0.1", "expected an IPv6 address")]
    [InlineData("add ns simpleacl r DENY -srcIP 10.0.0.1 -port 80", 41, "-port", "unknown option")]
    public void A_bad_rule_is_refused_with_line_column_word_and_what_was_expected(string line, int column, string word, string message)
    {
        using var l = new AclLanguage();
        var e = l.Fails(line);
        Assert.Equal((1, column, word), (e.Line, e.Column, e.Word));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_rule_for_another_traffic_domain_is_kept_but_not_applied()
    {
        using var l = new AclLanguage();
        var result = l.Run("add ns simpleacl d0 DENY -srcIP 10.0.0.1 -td 0\nadd ns simpleacl d5 DENY -srcIP 10.0.0.2 -td 5\nadd ns acl x5 DENY -srcIP 10.0.0.3 -td 5");
        Assert.True(result.Applied, result.Describe());
        Assert.Equal([2, 3], result.Unsupported.Select(u => u.Line));
        Assert.Contains("only the default traffic domain 0", result.Unsupported[0].Reason);
        Assert.Equal(["d0"], l.Config.SimpleAcls.AllLive(l.Now).Select(r => r.Name));
    }

    [Fact]
    public void A_source_with_an_all_ports_rule_takes_no_port_rule_and_duplicates_are_refused()
    {
        using var l = new AclLanguage();
        l.Apply("add ns simpleacl all DENY -srcIP 10.0.0.1\nadd ns simpleacl web DENY -srcIP 10.0.0.2 -destPort 80 -protocol TCP");

        var port = l.Fails("add ns simpleacl p DENY -srcIP 10.0.0.1 -destPort 443 -protocol TCP");
        Assert.Equal((32, "10.0.0.1"), (port.Column, port.Word));
        Assert.Contains("ns simpleacl 'all' blocks every port of 10.0.0.1", port.Message);
        Assert.Contains("already blocked on every port by ns simpleacl 'all'", l.Fails("add ns simpleacl again DENY -srcIP 10.0.0.1").Message);
        Assert.Contains("'web' already blocks 10.0.0.2 on TCP port 80", l.Fails("add ns simpleacl web2 DENY -srcIP 10.0.0.2 -destPort 80 -protocol TCP").Message);
        Assert.Contains("'all' already exists", l.Fails("add ns simpleacl all DENY -srcIP 10.9.9.9").Message);

        // The same port over the other protocol, and an all-ports rule above port rules, are different rules.
        l.Apply("add ns simpleacl web-udp DENY -srcIP 10.0.0.2 -destPort 80 -protocol UDP\nadd ns simpleacl all2 DENY -srcIP 10.0.0.2");
    }

    [Fact]
    public void A_batch_with_one_bad_rule_adds_none_and_names_the_line()
    {
        using var l = new AclLanguage();
        var lines = Enumerable.Range(0, 2000).Select(i => $"add ns simpleacl b{i} DENY -srcIP 10.{i / 256}.{i % 256}.1").ToList();
        lines[1234] = "add ns simpleacl b1234 DENY -srcIP 10.4.210.1 -TTL 7";
        var e = l.Fails(string.Join('\n', lines));
        Assert.Equal(1235, e.Line);
        Assert.Equal(0, l.Config.SimpleAcls.StoredCount);
    }

    [Fact]
    public void Rm_takes_several_names_and_clear_empties_one_family()
    {
        using var l = new AclLanguage();
        l.Apply("""
            add ns simpleacl a DENY -srcIP 10.0.0.1
            add ns simpleacl b DENY -srcIP 10.0.0.2
            add ns simpleacl c DENY -srcIP 10.0.0.3
            add ns simpleacl6 a DENY -srcIPv6 ::2
            rm ns simpleacl a c
            """);
        Assert.Equal(["b"], l.Config.SimpleAcls.Live(AclFamily.V4, l.Now).Select(r => r.Name));
        Assert.Contains("no ns simpleacl named 'a'", l.Fails("rm ns simpleacl b a").Message);
        l.Apply("clear ns simpleacl");
        Assert.Empty(l.Config.SimpleAcls.Live(AclFamily.V4, l.Now));
        Assert.Single(l.Config.SimpleAcls.Live(AclFamily.V6, l.Now));
        Assert.Null(l.Config.SimpleAcls.RulesFor(AclAddress.Key(IPAddress.Parse("10.0.0.2"))));
    }

    [Fact]
    public void Show_and_stat_report_rules_hits_ttl_and_time_left()
    {
        using var l = new AclLanguage();
        l.Apply("add ns simpleacl blk DENY -srcIP 192.0.2.7 -destPort 22 -protocol TCP -TTL 60\nadd ns simpleacl perm DENY -srcIP 192.0.2.8");
        l.Time.Advance(TimeSpan.FromSeconds(15));
        var list = l.Apply("show ns simpleacl");
        Assert.Contains("2 simple ACL(s)", list);
        Assert.Matches(@"blk\s+DENY\s+192\.0\.2\.7\s+TCP\s+22\s+0\s+60\s+45", list);
        Assert.Matches(@"perm\s+DENY\s+192\.0\.2\.8\s+ANY\s+ANY\s+0\s+-\s+-", list);
        var one = l.Apply("show ns simpleacl blk");
        Assert.Contains("srcIP = 192.0.2.7", one);
        Assert.Contains("TTL: 60 (seconds)\tRemaining: 45 (seconds)", one);
        Assert.Matches(@"SimpleACLs count \(SACLsCount\)\s+2", l.Apply("stat ns simpleacl"));
        Assert.Contains("no ns simpleacl named 'nope'", l.Run("show ns simpleacl nope").Output[0]);
    }

    [Fact]
    public void Save_config_writes_permanent_rules_only_and_reads_back_the_same()
    {
        using var l = new AclLanguage();
        l.Apply("""
            add ns simpleacl perm DENY -srcIP 10.0.0.1
            add ns simpleacl port DENY -srcIP 10.0.0.2 -destPort 8080 -protocol UDP -td 0
            add ns simpleacl6 perm6 DENY -srcIPv6 2001:db8::7
            add ns simpleacl temp DENY -srcIP 10.0.0.3 -TTL 3600
            """);
        var text = ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch);
        Assert.Contains("add ns simpleacl perm DENY -srcIP 10.0.0.1\n", text);
        Assert.Contains("add ns simpleacl port DENY -srcIP 10.0.0.2 -destPort 8080 -protocol UDP\n", text);
        Assert.Contains("add ns simpleacl6 perm6 DENY -srcIPv6 2001:db8::7\n", text);
        Assert.DoesNotContain("temp", text);

        using var again = new AclLanguage();
        again.Apply(text);
        Assert.Equal(text, ConfigWriter.Write(again.Config, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task A_reload_replaces_permanent_rules_with_the_file_and_keeps_rules_with_a_ttl()
    {
        using var l = new AclLanguage();
        l.Apply("add ns simpleacl perm DENY -srcIP 10.0.0.1\nadd ns simpleacl ban DENY -srcIP 10.0.0.9 -TTL 600");
        l.Time.Advance(TimeSpan.FromSeconds(100));
        var result = await l.Store.ReplaceAsync("add ns simpleacl other DENY -srcIP 10.0.0.2", "file", l.Services);
        Assert.True(result.Applied, result.Describe());
        Assert.Equal(["ban", "other"], l.Config.SimpleAcls.AllLive(l.Now).Select(r => r.Name).Order());
        Assert.Equal(500, l.Config.SimpleAcls.Find(AclFamily.V4, "ban", l.Now)!.RemainingSeconds(l.Now));
    }
}
