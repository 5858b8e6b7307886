using Portico.Configuration;
using Portico.LoadBalancing;
using static Portico.Core.Tests.CommandLanguage.Language;

namespace Portico.Core.Tests.Configuration;

public class BatchTests
{
    [Fact]
    public void A_batch_with_any_error_applies_nothing_and_reports_every_error()
    {
        var plan = Plan("""
            add server s1 10.0.0.1
            add service svc1 s1 TCP 80
            add lb vserver v1 TCP 10.0.0.100 80 -lbMethd ROUNDROBIN
            bind lb vserver v1 nosuch
            add service svc1 s1 TCP 81
            """);
        Assert.Null(plan.Next);
        Assert.Equal([3, 4, 5], plan.Errors.Select(e => e.Line));
        Assert.Contains("did you mean -lbMethod", plan.Errors[0].Message);
        Assert.Contains("no lb vserver named 'v1'", plan.Errors[1].Message);
        Assert.Contains("already exists", plan.Errors[2].Message);
    }

    [Fact]
    public void References_resolve_at_the_end_of_the_batch_so_order_does_not_matter()
    {
        var config = Build("""
            add lb vserver v1 TCP 10.0.0.100 80
            bind lb vserver v1 g1
            add serviceGroup g1 TCP
            bind serviceGroup g1 srv1 8080
            add server srv1 10.0.0.1
            """);
        Assert.Single(config.Vservers[0].Bindings);
        Assert.Equal("srv1", config.ServiceGroups[0].Members[0].ServerName);
    }

    [Fact]
    public void A_missing_reference_is_reported_at_the_word_that_names_it()
    {
        var plan = Plan("add serviceGroup g1 TCP\nbind serviceGroup g1 ghost 80");
        var e = Assert.Single(plan.Errors);
        Assert.Equal((2, 22, "ghost"), (e.Line, e.Column, e.Word));
        Assert.Contains("add server ghost", e.Message);
    }

    [Fact]
    public void A_service_on_an_ip_creates_a_server_named_after_it_as_NetScaler_does()
    {
        var config = Build("add service svc1 10.1.1.1 TCP 80");
        Assert.Equal("10.1.1.1", Assert.Single(config.Servers).Name);
    }

    [Fact]
    public void Binding_a_service_of_another_family_is_refused_with_the_reason()
    {
        var plan = Plan("add service s1 10.0.0.1 HTTP 80\nadd lb vserver v1 TCP 10.0.0.100 80\nbind lb vserver v1 s1");
        Assert.Contains("a TCP vserver balances TCP, ANY", Assert.Single(plan.Errors).Message);
    }

    [Fact]
    public void Backup_vservers_must_exist_and_must_not_loop()
    {
        var plan = Plan("""
            add lb vserver a TCP 10.0.0.1 80 -backupVServer b
            add lb vserver b TCP 10.0.0.2 80 -backupVServer a
            add lb vserver c TCP 10.0.0.3 80 -backupVServer nosuch
            """);
        Assert.Equal(3, plan.Errors.Count);
        Assert.Contains("loop", plan.Errors[0].Message);
        Assert.Contains("no lb vserver named 'nosuch'", plan.Errors[2].Message);
        Assert.Contains("own backup", Plan("add lb vserver a TCP 10.0.0.1 80 -backupVServer a").Errors[0].Message);
    }

    [Fact]
    public void Set_and_unset_change_and_restore_settings()
    {
        var config = Build("""
            add lb vserver v1 TCP 10.0.0.1 80 -lbMethod ROUNDROBIN -cltTimeout 30
            set lb vserver v1 -lbMethod SOURCEIPHASH
            unset lb vserver v1 -cltTimeout
            """);
        var v = config.Vservers[0];
        Assert.Equal(LbMethod.SourceIpHash, v.Method);
        Assert.Null(v.ClientTimeout);
    }

    [Fact]
    public void Rm_service_also_removes_its_bindings()
    {
        var config = Build("""
            add service s1 10.0.0.1 TCP 80
            add lb vserver v1 TCP 10.0.0.100 80
            bind lb vserver v1 s1
            rm service s1
            """);
        Assert.Empty(config.Vservers[0].Bindings);
    }

    [Fact]
    public void Rm_server_still_in_a_group_is_refused()
    {
        var plan = Plan("add server s1 10.0.0.1\nadd serviceGroup g TCP\nbind serviceGroup g s1 80\nrm server s1");
        Assert.Contains("unbind it first", Assert.Single(plan.Errors).Message);
    }

    [Fact]
    public void Member_weights_and_states_can_be_changed_in_place()
    {
        var config = Build("""
            add serviceGroup g TCP
            bind serviceGroup g 10.0.0.1 80 -weight 3
            set serviceGroup g 10.0.0.1 80 -weight 5
            disable serviceGroup g 10.0.0.1 80
            """);
        var m = config.ServiceGroups[0].Members[0];
        Assert.Equal((5L, false), (m.Weight, m.Enabled));
    }

    [Fact]
    public void Modes_params_and_snips_are_part_of_the_model()
    {
        var config = Build("""
            enable ns mode USIP L3
            disable ns mode L3
            set ns param -cipHeader X-Real-IP
            add ns ip 127.0.0.2 255.0.0.0 -type SNIP
            """);
        Assert.Equal(["USIP"], config.Modes);
        Assert.Equal("X-Real-IP", config.Param.ClientIpHeader);
        Assert.True(config.Ips[0].Covers(System.Net.IPAddress.Parse("127.9.9.9")));
        Assert.False(config.Ips[0].Covers(System.Net.IPAddress.Parse("10.0.0.1")));
        Assert.Contains("contiguous", Plan("add ns ip 10.0.0.1 255.0.255.0").Errors[0].Message);
    }

    [Fact]
    public void Unsupported_lines_are_kept_in_the_snapshot_with_their_line_numbers()
    {
        var plan = Plan("add server s1 10.0.0.1\nadd vpn vserver vpn1 SSL 10.0.0.1 443\n\nset ns hostName box");
        Assert.Empty(plan.Errors);
        Assert.Equal([2, 4], plan.Next!.Unsupported.Select(u => u.Line));
    }

    [Fact]
    public void Save_config_output_reads_back_to_the_same_config()
    {
        var original = Build("""
            enable ns mode USIP
            set ns param -cipHeader X-Client
            add ns ip 127.0.0.2 255.0.0.0
            add server s1 10.0.0.1 -comment "primary box"
            add service svc1 s1 TCP 80 -maxClient 100 -cltTimeout 30 -svrTimeout 60 -CKA NO
            add serviceGroup g1 TCP -usip YES
            bind serviceGroup g1 10.0.0.2 8080 -weight 4
            add lb vserver v1 TCP 10.0.0.100 80 -lbMethod MAGLEV -cltTimeout 30 -backupVServer v2 -soMethod CONNECTION -soThreshold 10
            add lb vserver v2 TCP 0.0.0.0 0
            bind lb vserver v1 svc1 -weight 2
            bind lb vserver v1 g1
            add vpn vserver vpn1 SSL 10.0.0.1 443
            """);
        var text = ConfigWriter.Write(original, DateTimeOffset.UnixEpoch);
        var again = Build(text);
        Assert.Equal(text, ConfigWriter.Write(again, DateTimeOffset.UnixEpoch));
        Assert.Equal(original.Vservers.Select(v => v with { Bindings = [], Kept = [] }), again.Vservers.Select(v => v with { Bindings = [], Kept = [] }));
        Assert.Contains("add vpn vserver vpn1 SSL 10.0.0.1 443", text);
        Assert.Contains("-CKA NO", text);
    }
}
