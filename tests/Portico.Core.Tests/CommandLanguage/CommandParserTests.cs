using System.Net;
using Portico.CommandLanguage;
using Portico.LoadBalancing;
using static Portico.Core.Tests.CommandLanguage.Language;

namespace Portico.Core.Tests.CommandLanguage;

public class CommandParserTests
{
    [Fact]
    public void Reads_positionals_and_options_with_typed_values()
    {
        var c = Command("add lb vserver web TCP 10.0.0.1 80 -lbMethod ROUNDROBIN -cltTimeout 180");
        Assert.Equal("add lb vserver", c.Spec.FullName);
        Assert.Equal("web", c.Get<string>("name"));
        Assert.Equal(ServiceType.Tcp, c.Get<ServiceType>("serviceType"));
        Assert.Equal(IPAddress.Parse("10.0.0.1"), c.Get<IPAddress>("IPAddress"));
        Assert.Equal(80, c.Get<int>("port"));
        Assert.Equal(LbMethod.RoundRobin, c.Get<LbMethod>("lbMethod"));
        Assert.Equal(180L, c.Get<long>("cltTimeout"));
    }

    [Theory]
    [InlineData("ADD LB VSERVER web tcp 10.0.0.1 80 -LBMETHOD roundrobin")]
    [InlineData("add lb vs web TCP 10.0.0.1 80 -lbMeth ROUNDROBIN")]
    [InlineData("ad lb vs web TCP 10.0.0.1 80 -lbm ROUNDROBIN")]
    public void Keywords_ignore_case_and_take_unambiguous_abbreviations(string line)
    {
        var c = Command(line);
        Assert.Equal("add lb vserver", c.Spec.FullName);
        Assert.Equal(LbMethod.RoundRobin, c.Get<LbMethod>("lbMethod"));
    }

    [Fact]
    public void An_exact_object_beats_a_longer_one_it_prefixes()
    {
        Assert.Equal("show service", Command("show service").Spec.FullName);
        Assert.Equal("show serviceGroup", Command("show serviceGroup").Spec.FullName);
        Assert.Equal("show serviceGroup", Command("show serviceG").Spec.FullName);
    }

    [Fact]
    public void Options_may_take_several_words_like_cip_with_a_header()
    {
        var c = Command("add service s1 10.0.0.2 HTTP 80 -cip ENABLED X-Client-IP");
        Assert.Contains("cip", c.Given);
    }

    [Fact]
    public void A_blank_line_or_a_comment_is_nothing()
    {
        Assert.IsType<ParseOutcome.Empty>(Parser.Parse("", 1));
        Assert.IsType<ParseOutcome.Empty>(Parser.Parse("   # comment", 1));
    }

    [Theory]
    [InlineData("s lb vserver", 1, "s", "ambiguous command")]
    [InlineData("frobnicate lb vserver", 1, "frobnicate", "unknown command")]
    [InlineData("addd lb vserver web TCP", 1, "addd", "did you mean add")]
    [InlineData("add", 4, "", "needs an object")]
    [InlineData("add lb vsrver web TCP", 5, "lb vsrver", "did you mean lb vserver")]
    [InlineData("show serv", 6, "serv", "ambiguous; it could be")]
    [InlineData("add lb vserver web TCP 10.0.0.1 80 81", 36, "81", "takes 4 positional argument(s)")]
    [InlineData("add lb vserver web", 19, "", "expects <serviceType>")]
    [InlineData("add lb vserver web TCP 10.0.0.1 80 -lbMethd ROUNDROBIN", 36, "-lbMethd", "did you mean -lbMethod")]
    [InlineData("add lb vserver web TCP 10.0.0.1 80 -b x", 36, "-b", "ambiguous option")]
    [InlineData("add lb vserver web TCP 10.0.0.1 80 -lbMethod ROUNDROBIN -lbMethod LEASTCONNECTION", 57, "-lbMethod", "given twice")]
    [InlineData("add lb vserver web TCP 10.0.0.1 80 -lbMethod FASTEST", 46, "FASTEST", "expected an LB method")]
    [InlineData("add lb vserver web TCP 10.0.0.1 80 -cltTimeout -5", 48, "-5", "from 0 to 31536000")]
    [InlineData("add lb vserver web TCP 10.0.0.1 80 -cltTimeout", 36, "-cltTimeout", "a value is required")]
    [InlineData("add lb vserver web TCP 10.0.0.999 80", 24, "10.0.0.999", "expected an IPv4 or IPv6 address")]
    [InlineData("add lb vserver web TCP 10.0.0.1 70000", 33, "70000", "port number")]
    [InlineData("add lb vserver web TCP 10.0.0.1 80 -cltTimeout 5 6", 50, "6", "unexpected extra value")]
    [InlineData("add lb vserver we/b TCP 10.0.0.1 80", 16, "we/b", "not allowed in a name")]
    [InlineData("add lb vserver web FROB 10.0.0.1 80", 20, "FROB", "expected a service type")]
    [InlineData("unset lb vserver web -lbMethod ROUNDROBIN", 32, "ROUNDROBIN", "takes no value")]
    [InlineData("add service s1 10.0.0.2 HTTP 80 -cip DISABLED hdr", 47, "hdr", "only given with ENABLED")]
    [InlineData("enable ns mode USIP FRX", 21, "FRX", "expected ns mode words")]
    public void Every_error_names_line_column_word_and_what_was_expected(string line, int column, string word, string message)
    {
        var e = Error(line);
        Assert.Equal(1, e.Line);
        Assert.Equal(column, e.Column);
        Assert.Equal(word, e.Word);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("add vpn vserver vpn1 SSL 10.0.0.1 443", "not supported")]
    [InlineData("set ns hostName box1", "not supported")]
    [InlineData("rename lb vserver a b", "verb 'rename'")]
    [InlineData("add lb vserver v1 MYSQL 10.0.0.1 3306", "MYSQL is not supported")]
    [InlineData("add server web www.example.com", "domain-based servers")]
    public void Valid_NetScaler_that_Portico_lacks_is_unsupported_not_an_error(string line, string reason)
    {
        var outcome = Assert.IsType<ParseOutcome.Unsupported>(Parser.Parse(line, 3));
        Assert.Equal(3, outcome.Line);
        Assert.Equal(line, outcome.Text);
        Assert.Contains(reason, outcome.Reason);
    }

    [Fact]
    public void An_option_value_Portico_lacks_keeps_the_object_and_the_option_with_a_note()
    {
        var c = Command("add lb vserver v1 HTTP 10.0.0.1 80 -persistenceType SSLSESSION -timeout 30");
        Assert.Equal("SSLSESSION", Assert.Single(c.Kept).Words.Single());
        Assert.Contains("persistence type SSLSESSION is not supported by Portico; -persistenceType is kept but has no effect", Assert.Single(c.Notes));
        Assert.False(c.Has("persistenceType"));
    }

    [Fact]
    public void NetScaler_options_Portico_does_not_act_on_are_kept_with_their_values()
    {
        var c = Command("add serviceGroup g HTTP -maxClient 0 -CKA NO -TCPB NO -cmp NO");
        Assert.Equal(["CKA", "TCPB", "CMP"], c.Kept.Select(k => k.Name));
        Assert.Equal(["NO"], c.Kept[0].Words);
    }
}
