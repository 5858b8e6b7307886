using Portico.Configuration;
using Portico.LoadBalancing;
using static Portico.Core.Tests.CommandLanguage.Language;

namespace Portico.Core.Tests.Dsr;

/// <summary><c>-m MAC</c> vservers in the command language: what is accepted, refused with a located error, or kept as unsupported.</summary>
public class DsrConfigTests
{
    [Fact]
    public void A_mac_mode_vserver_defaults_to_maglev_and_round_trips_through_save_config()
    {
        var config = Build("""
            add service s1 10.0.0.11 TCP 80
            add service s2 10.0.0.12 ANY *
            add lb vserver d1 TCP 10.0.0.100 80 -m MAC -dsrInterface eth1
            add lb vserver d2 ANY 10.0.0.101 * -m MAC -lbMethod SOURCEIPHASH
            bind lb vserver d1 s1
            bind lb vserver d1 s2
            bind lb vserver d2 s2
            """);
        var d1 = config.VserversByName["d1"];
        Assert.Equal((RedirectionMode.Mac, LbMethod.Maglev, "eth1", 80), (d1.Mode, d1.Method, d1.DsrInterface, d1.Port));
        Assert.Equal((RedirectionMode.Mac, LbMethod.SourceIpHash, 0), (config.VserversByName["d2"].Mode, config.VserversByName["d2"].Method, config.VserversByName["d2"].Port));

        var text = ConfigWriter.Write(config, DateTimeOffset.UnixEpoch);
        Assert.Contains("add lb vserver d1 TCP 10.0.0.100 80 -lbMethod MAGLEV -m MAC -dsrInterface eth1", text);
        Assert.Contains("add lb vserver d2 ANY 10.0.0.101 * -lbMethod SOURCEIPHASH -m MAC", text);
        var again = Build(text);
        Assert.Equal(config.Vservers.Select(v => v with { Bindings = [] }), again.Vservers.Select(v => v with { Bindings = [] }));
        Assert.Equal(text, ConfigWriter.Write(again, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Unset_m_returns_a_vserver_to_the_full_proxy()
    {
        var config = Build("add lb vserver d1 TCP 10.0.0.100 80 -m MAC -dsrInterface eth1\nunset lb vserver d1 -m -dsrInterface");
        Assert.Equal((RedirectionMode.Ip, (string?)null), (config.Vservers[0].Mode, config.Vservers[0].DsrInterface));
    }

    [Fact]
    public void A_service_on_another_port_is_refused_at_its_binding_because_frames_keep_the_vip_port()
    {
        var plan = Plan("add service s1 10.0.0.11 TCP 8080\nadd lb vserver d1 TCP 10.0.0.100 80 -m MAC\nbind lb vserver d1 s1");
        var e = Assert.Single(plan.Errors);
        Assert.Equal((3, "s1"), (e.Line, e.Word));
        Assert.Contains("forwards frames unchanged to its port 80", e.Message);
    }

    [Fact]
    public void Switching_an_existing_vserver_to_mac_checks_the_ports_of_what_it_already_binds()
    {
        var plan = Plan("add service s1 10.0.0.11 TCP 8080\nadd lb vserver d1 TCP 10.0.0.100 80\nbind lb vserver d1 s1\nset lb vserver d1 -m MAC");
        Assert.Contains("listens on port 8080", Assert.Single(plan.Errors).Message);
        Assert.Equal(4, plan.Errors[0].Line);
    }

    [Theory]
    [InlineData("add lb vserver d1 TCP * 80 -m MAC", "needs its own VIP")]
    [InlineData("add lb vserver d1 TCP 10.0.0.100 80 -dsrInterface eth0", "-dsrInterface applies to -m MAC")]
    [InlineData("add lb vserver d1 TCP 10.0.0.100 80 -m MAC -dsrInterface a/b", "expected a Linux interface name")]
    [InlineData("add lb vserver d1 TCP 10.0.0.100 80 -m FOO", "expected IP (full proxy) or MAC")]
    public void Bad_dsr_lines_are_refused_with_what_was_expected(string line, string message)
    {
        var e = Assert.Single(Plan(line).Errors);
        Assert.Contains(message, e.Message);
        Assert.Equal(1, e.Line);
    }

    [Theory]
    [InlineData("add lb vserver d1 HTTP 10.0.0.100 80 -m MAC", "direct server return carries ANY, TCP and UDP")]
    [InlineData("add lb vserver d1 TCP 2001:db8::1 80 -m MAC", "IPv6 VIP")]
    public void Valid_netscaler_that_portico_cannot_do_by_mac_is_kept_as_unsupported(string line, string reason)
    {
        var plan = Plan(line);
        Assert.Empty(plan.Errors);
        Assert.Contains(reason, Assert.Single(plan.Unsupported).Reason);
    }

    [Fact]
    public void Options_that_need_the_full_proxy_are_noted_as_without_effect()
    {
        var plan = Plan("add lb vserver d1 TCP 10.0.0.100 80 -m MAC -persistenceType SOURCEIP -lbMethod ROUNDROBIN");
        Assert.Empty(plan.Errors);
        Assert.Contains(plan.Notes, n => n.Message.Contains("-persistenceType has no effect on a -m MAC vserver", StringComparison.Ordinal));
        Assert.Contains(plan.Notes, n => n.Message.Contains("ROUNDROBIN acts as MAGLEV", StringComparison.Ordinal));
    }
}
