using System.Net;
using Portico.ClientIp;
using Portico.ClientIp.ProxyProtocol;
using Portico.Configuration;
using Portico.Core.Tests.Acl;
using Portico.Runtime;

namespace Portico.Core.Tests.ClientIp;

/// <summary><c>add|set|unset|rm|show ns netProfile</c> and <c>-netProfile</c> on vservers, services and groups.</summary>
public sealed class NetProfileCommandTests
{
    private const string Base = """
        add ns ip 10.0.0.5 255.255.255.0 -type SNIP
        add server web1 10.0.0.11
        add service s1 web1 TCP 80
        add serviceGroup g1 HTTP
        add lb vserver v1 TCP 192.0.2.10 80
        """;

    [Fact]
    public void Profiles_apply_to_vservers_services_and_groups_and_round_trip_through_save_config()
    {
        using var l = new AclLanguage();
        l.Apply(Base);
        l.Apply("""
            add ns netProfile from_lb -proxyProtocol ENABLED
            add ns netProfile to_srv -proxyProtocol ENABLED -proxyProtocolVersion V2 -srcIP 10.0.0.5 -td 0
            add ns netprofile plain
            set lb vserver v1 -netProfile from_lb
            set service s1 -netProfile to_srv
            set serviceGroup g1 -netProfile plain
            """);
        var c = l.Config;
        Assert.Equal(["from_lb", "to_srv", "plain"], c.NetProfiles.Select(p => p.Name));
        var to = c.NetProfilesByName["to_srv"];
        Assert.Equal((true, ProxyProtocolVersion.V2, IPAddress.Parse("10.0.0.5")), (to.ProxyProtocol, to.TxVersion, to.SourceIp));
        Assert.Equal("from_lb", c.VserversByName["v1"].NetProfile);
        Assert.Equal("to_srv", c.ServicesByName["s1"].Settings.NetProfile);
        Assert.Equal("plain", c.ServiceGroupsByName["g1"].Settings.NetProfile);

        var saved = ConfigWriter.Write(c, DateTimeOffset.UnixEpoch);
        Assert.Contains("add ns netProfile to_srv -srcIP 10.0.0.5 -proxyProtocol ENABLED -proxyProtocolTxVersion V2 -td 0\n", saved, StringComparison.Ordinal);
        Assert.Contains("add lb vserver v1 TCP 192.0.2.10 80 -netProfile from_lb", saved, StringComparison.Ordinal);
        Assert.Contains("add service s1 web1 TCP 80 -netProfile to_srv", saved, StringComparison.Ordinal);

        using var again = new AclLanguage();
        again.Apply(saved);
        Assert.Equal(saved, ConfigWriter.Write(again.Config, DateTimeOffset.UnixEpoch));

        var shown = l.Apply("show ns netProfile");
        Assert.Contains("v1 (accepts)", shown, StringComparison.Ordinal);
        Assert.Contains("s1 (sends)", shown, StringComparison.Ordinal);
        Assert.Contains("-td 0 (kept, no effect)", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void Unset_resets_the_profile_and_the_references()
    {
        using var l = new AclLanguage();
        l.Apply(Base + "\nadd ns netProfile p -proxyProtocol ENABLED -proxyProtocolTxVersion V2 -srcIP 10.0.0.5\nset service s1 -netProfile p\nset lb vserver v1 -netProfile p");
        l.Apply("unset ns netProfile p -proxyProtocol -proxyProtocolTxVersion -srcIP\nunset service s1 -netProfile\nunset lb vserver v1 -netProfile");
        var p = l.Config.NetProfilesByName["p"];
        Assert.Equal((false, ProxyProtocolVersion.V1, (IPAddress?)null), (p.ProxyProtocol, p.TxVersion, p.SourceIp));
        Assert.Null(l.Config.ServicesByName["s1"].Settings.NetProfile);
        Assert.Null(l.Config.VserversByName["v1"].NetProfile);
        l.Apply("rm ns netProfile p");
        Assert.Empty(l.Config.NetProfiles);
    }

    [Theory]
    [InlineData("set service s1 -netProfile nope", 28, "nope", "no ns netProfile named 'nope'")]
    [InlineData("set lb vserver v1 -netProfile nope", 31, "nope", "no ns netProfile named 'nope'")]
    [InlineData("add ns netProfile p -proxyProtocol MAYBE", 36, "MAYBE", "expected ENABLED or DISABLED")]
    [InlineData("add ns netProfile p -proxyProtocolTxVersion V3", 45, "V3", "expected one of V1, V2")]
    [InlineData("add ns netProfile p -srcIP 10.0.0.99", 28, "10.0.0.99", "not an address Portico owns")]
    [InlineData("add ns netProfile p -srcIP 10.0.0", 28, "10.0.0", "expected an IPv4 or IPv6 address")]
    [InlineData("add ns netProfile p -proxyProtocolTxVersion V1 -proxyProtocolVersion V2", 70, "V2", "not both")]
    public void A_bad_profile_or_reference_is_refused_where_it_is_written(string text, int column, string word, string message)
    {
        using var l = new AclLanguage();
        l.Apply(Base);
        var e = l.Fails(text);
        Assert.Equal((text.Split('\n').Length, column, word), (e.Line, e.Column, e.Word));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_in_use_cannot_be_removed()
    {
        using var l = new AclLanguage();
        l.Apply(Base + "\nadd ns netProfile used\nset service s1 -netProfile used");
        var result = l.Run("rm ns netProfile used");
        Assert.False(result.Applied);
        var e = Assert.Single(result.Errors, e => e.Line == 1 && e.Word == "used" && e.Column == 18);
        Assert.Contains("used by service 's1'; unset -netProfile there first", e.Message, StringComparison.Ordinal);

        // Moving the user off it in the same batch makes the removal valid.
        l.Apply("unset service s1 -netProfile\nrm ns netProfile used");
        Assert.Empty(l.Config.NetProfiles);
    }

    [Fact]
    public void A_profile_with_proxy_protocol_cannot_reach_a_udp_vserver_or_service()
    {
        using var l = new AclLanguage();
        l.Apply(Base + "\nadd service dns1 web1 DNS 53\nadd ns netProfile pp -proxyProtocol ENABLED\nadd ns netProfile quiet");
        var e = l.Fails("set service dns1 -netProfile pp");
        Assert.Contains("UDP", e.Message, StringComparison.Ordinal);

        // The other way round: a profile a UDP service already uses cannot start sending PROXY headers.
        l.Apply("set service dns1 -netProfile quiet");
        e = l.Fails("set ns netProfile quiet -proxyProtocol ENABLED");
        Assert.Contains("service 'dns1' is UDP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ip_set_or_a_header_inside_tls_is_kept_and_reported_not_lost()
    {
        using var l = new AclLanguage();
        var result = l.Run("add ns netProfile p -srcIP myipset -proxyProtocolAfterTLSHandshake ENABLED");
        Assert.True(result.Applied, result.Describe());
        var p = l.Config.NetProfilesByName["p"];
        Assert.Null(p.SourceIp);
        Assert.Equal(["srcIP", "proxyProtocolAfterTLSHandshake"], p.Kept.Select(k => k.Name));
        Assert.Contains(result.Notes, n => n.Message.Contains("IP set", StringComparison.Ordinal));
        Assert.Contains("add ns netProfile p -srcIP myipset -proxyProtocolAfterTLSHandshake ENABLED", ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
    }
}
