using System.Net;
using Portico.Acl;

namespace Portico.Core.Tests.Acl;

/// <summary>Rules with a TTL end by themselves, on the clock (a fake one here).</summary>
public class SimpleAclTtlTests
{
    [Fact]
    public void A_rule_stops_matching_and_disappears_when_its_ttl_runs_out()
    {
        using var l = new AclLanguage();
        l.Apply("add ns simpleacl ban DENY -srcIP 203.0.113.5 -TTL 60");
        var key = AclAddress.Key(IPAddress.Parse("203.0.113.5"));
        Assert.NotNull(l.Config.SimpleAcls.RulesFor(key)!.Match(AclProtocols.Tcp, 443, l.Now));

        l.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.NotNull(l.Config.SimpleAcls.RulesFor(key)!.Match(AclProtocols.Tcp, 443, l.Now));
        Assert.Contains("Remaining: 1 (seconds)", l.Apply("show ns simpleacl ban"));

        l.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(l.Config.SimpleAcls.RulesFor(key)!.Match(AclProtocols.Tcp, 443, l.Now));
        Assert.Contains("0 simple ACL(s)", l.Apply("show ns simpleacl"));
        Assert.Matches(@"SACLsCount\)\s+0", l.Apply("stat ns simpleacl"));
        Assert.Contains("no ns simpleacl named 'ban'", l.Run("show ns simpleacl ban").Output[0]);
    }

    [Fact]
    public void An_expired_rule_frees_its_name_and_source_and_its_memory_goes_with_the_next_change()
    {
        using var l = new AclLanguage();
        l.Apply("add ns simpleacl ban DENY -srcIP 203.0.113.5 -TTL 8\nadd ns simpleacl keep DENY -srcIP 203.0.113.6");
        l.Time.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(2, l.Config.SimpleAcls.StoredCount);

        l.Apply("add ns simpleacl ban DENY -srcIP 203.0.113.5 -destPort 25 -protocol TCP");
        Assert.Equal(2, l.Config.SimpleAcls.StoredCount);
        var ban = l.Config.SimpleAcls.Find(AclFamily.V4, "ban", l.Now)!;
        Assert.Equal((25, (long?)null), (ban.DestinationPort, ban.TtlSeconds));
    }

    [Fact]
    public void Rules_expire_in_deadline_order_whatever_order_they_were_added_in()
    {
        using var l = new AclLanguage();
        l.Apply("""
            add ns simpleacl long DENY -srcIP 10.0.0.1 -TTL 400
            add ns simpleacl short DENY -srcIP 10.0.0.2 -TTL 100
            add ns simpleacl mid DENY -srcIP 10.0.0.3 -TTL 200
            add ns simpleacl forever DENY -srcIP 10.0.0.4
            """);
        var seen = new List<string>();
        for (var s = 0; s < 500; s += 50)
        {
            l.Time.Advance(TimeSpan.FromSeconds(50));
            seen.Add(string.Join(',', l.Config.SimpleAcls.Live(AclFamily.V4, l.Now).Select(r => r.Name)));
        }

        Assert.Equal("long,short,mid,forever", seen[0]);
        Assert.Equal("long,mid,forever", seen[1]);
        Assert.Equal("long,forever", seen[3]);
        Assert.Equal("forever", seen[7]);
        Assert.Equal(1, l.Config.SimpleAcls.LiveCount(AclFamily.V4, l.Now));
    }
}
