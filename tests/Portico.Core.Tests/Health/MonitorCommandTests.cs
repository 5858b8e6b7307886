using Portico.Configuration;
using Portico.Health;
using static Portico.Core.Tests.CommandLanguage.Language;

namespace Portico.Core.Tests.Health;

/// <summary>The monitor commands: NetScaler's spellings, defaults, clear errors, and save config round trips.</summary>
public class MonitorCommandTests
{
    [Fact]
    public void A_monitor_takes_netscaler_defaults_and_units_written_either_way()
    {
        var config = Build("""
            add lb monitor m1 TCP
            add lb monitor m2 HTTP -httpRequest "GET /health" -respCode 200-299 302 -interval 100 MSEC -resptimeout 50 -units4 MSEC -retries 2 -successRetries 3 -downTime 1
            add lb monitor m3 TCP-ECV -send "PING" -recv PONG -interval 2 MIN
            """);
        var m1 = config.MonitorsByName["m1"];
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), 3, 1),
            (m1.Interval.Span, m1.ResponseTimeout.Span, m1.DownTime.Span, m1.Retries, m1.SuccessRetries));
        var m2 = config.MonitorsByName["m2"];
        Assert.Equal(TimeSpan.FromMilliseconds(100), m2.Interval.Span);
        Assert.Equal(TimeSpan.FromMilliseconds(50), m2.ResponseTimeout.Span);
        Assert.True(m2.Accepts(204) && m2.Accepts(302) && !m2.Accepts(301));
        Assert.Equal(TimeSpan.FromMinutes(2), config.MonitorsByName["m3"].Interval.Span);
    }

    [Theory]
    [InlineData("add lb monitor m TCP -interval 100 MSEC", "-resptimeout (2 s) must be less than -interval (100 ms)")]
    [InlineData("add lb monitor m TCP -interval 50 MSEC -resptimeout 10 MSEC", "at most every 100 ms")]
    [InlineData("add lb monitor m HTTP -httpRequest health", "expected a method and a path, like \"GET /health\"")]
    [InlineData("add lb monitor m HTTP -httpRequest \"get /health\"", "is not an HTTP method")]
    [InlineData("add lb monitor m HTTP -respCode 200-199", "a range written low-high")]
    [InlineData("add lb monitor m HTTP -respCode 700", "from 100 to 599")]
    [InlineData("add lb monitor m TCP -httpRequest \"GET /\"", "-httpRequest applies to HTTP monitors; a TCP monitor only opens a connection")]
    [InlineData("add lb monitor m HTTP -send \"GET /\"", "-send applies to TCP-ECV, HTTP-ECV and UDP-ECV monitors; a HTTP monitor sends -httpRequest")]
    [InlineData("add lb monitor m TCP -recv OK", "-recv applies to TCP-ECV, HTTP-ECV and UDP-ECV monitors")]
    [InlineData("add lb monitor m PING -destPort 80", "a PING monitor has no port")]
    [InlineData("add lb monitor m UDP-ECV -secure YES", "-secure YES applies to TCP, HTTP, TCP-ECV and HTTP-ECV monitors, not UDP-ECV")]
    [InlineData("add lb monitor m TCP -retries 0", "expected a whole number from 1 to 127")]
    [InlineData("add lb monitor m TCP -interval 5 HOURS", "expected a unit: SEC, MSEC or MIN")]
    [InlineData("add lb monitor m TCP -interval 500 MSEC -units3 SEC", "-interval says MSEC and -units3 says SEC")]
    [InlineData("add lb monitor m FROB", "expected a monitor type: PING, TCP, HTTP, TCP-ECV, HTTP-ECV, UDP-ECV")]
    [InlineData("add lb monitor tcp-default TCP", "'tcp-default' is a built-in monitor; choose another name")]
    [InlineData("set lb monitor http HTTP -interval 10", "'http' is a built-in monitor and cannot be changed")]
    public void A_bad_monitor_is_rejected_with_the_word_and_what_was_expected(string line, string message)
    {
        var plan = Plan(line);
        Assert.Null(plan.Next);
        var e = Assert.Single(plan.Errors);
        Assert.Equal(1, e.Line);
        Assert.True(e.Column > 1);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_bad_monitor_points_at_the_option_at_fault()
    {
        var e = Assert.Single(Plan("add lb monitor m HTTP -interval 1 -resptimeout 3").Errors);
        Assert.Equal((1, 48, "3"), (e.Line, e.Column, e.Word));
    }

    [Fact]
    public void Monitor_types_netscaler_has_and_portico_lacks_keep_the_line()
    {
        var plan = Plan("add lb monitor ldap1 LDAP -baseDN dc=x");
        Assert.Empty(plan.Errors);
        Assert.Contains("monitor type LDAP is not supported", Assert.Single(plan.Unsupported).Reason);
    }

    [Fact]
    public void Monitors_bind_in_all_three_spellings_and_unbind()
    {
        var config = Build("""
            add service s1 127.0.0.1 TCP 80
            add service s2 127.0.0.1 TCP 81
            add serviceGroup g TCP
            bind serviceGroup g 127.0.0.1 82
            add lb monitor m1 TCP
            add lb monitor m2 HTTP
            bind service s1 -monitorName m1
            bind service s1 -monitorName m2
            bind lb monitor m1 s2
            bind serviceGroup g -monitorName http -monState DISABLED
            unbind service s1 -monitorName m2
            """);
        Assert.Equal([("s1", "m1", true), ("s2", "m1", true), ("g", "http", false)],
            config.MonitorBindings.Select(b => (b.Target, b.Monitor, b.Enabled)));
    }

    [Fact]
    public void Binding_errors_name_the_missing_monitor_or_service()
    {
        var plan = Plan("""
            add service s1 127.0.0.1 TCP 80
            bind service s1 -monitorName nosuch
            bind service ghost -monitorName tcp
            bind lb monitor tcp s1
            bind lb monitor tcp s1
            bind service s1
            """);
        Assert.Equal([2, 3, 5, 6], plan.Errors.Select(e => e.Line));
        Assert.Contains("no lb monitor named 'nosuch'", plan.Errors[0].Message);
        Assert.Contains("no service named 'ghost'", plan.Errors[1].Message);
        Assert.Contains("'tcp' is already bound to 's1'", plan.Errors[2].Message);
        Assert.Contains("expects -monitorName", plan.Errors[3].Message);
    }

    [Fact]
    public void A_bound_monitor_cannot_be_removed_and_removing_a_service_drops_its_bindings()
    {
        var setup = """
            add service s1 127.0.0.1 TCP 80
            add lb monitor m TCP
            bind service s1 -monitorName m
            """;
        Assert.Contains("'m' is bound to s1; unbind it first", Assert.Single(Plan(setup + "\nrm lb monitor m").Errors).Message);
        var config = Build(setup + "\nrm service s1\nrm lb monitor m");
        Assert.Empty(config.MonitorBindings);
        Assert.Empty(config.Monitors);
    }

    [Fact]
    public void Set_unset_enable_and_disable_change_a_monitor()
    {
        var config = Build("""
            add lb monitor m HTTP -respCode 200
            set lb monitor m HTTP -interval 100 MSEC -resptimeout 50 MSEC -respCode 204
            unset lb monitor m HTTP -respCode
            disable lb monitor m
            """);
        var m = config.MonitorsByName["m"];
        Assert.Equal(TimeSpan.FromMilliseconds(100), m.Interval.Span);
        Assert.True(m.RespCodes.IsDefaultOrEmpty);
        Assert.False(m.Enabled);
        Assert.Contains("a monitor's type cannot change", Assert.Single(Plan("add lb monitor m TCP\nset lb monitor m HTTP -interval 10").Errors).Message);
    }

    [Fact]
    public void Save_config_writes_monitors_and_bindings_back_as_they_read()
    {
        var text = """
            add lb monitor m1 HTTP -httpRequest "GET /health" -respCode 200-299 -interval 100 MSEC -resptimeout 80 MSEC -successRetries 2 -downTime 500 MSEC
            add lb monitor m2 TCP-ECV -send "PING\\r\\n" -recv PONG -destPort 9000 -secure YES -state DISABLED -LRTM DISABLED
            add lb monitor m3 UDP-ECV -send x -interval 2 MIN -retries 5
            add service s1 127.0.0.1 TCP 80
            add service s2 127.0.0.1 TCP 82 -healthMonitor NO
            add serviceGroup g TCP
            bind serviceGroup g 127.0.0.1 81
            add lb vserver bk TCP 0.0.0.0 0
            add lb vserver v TCP 127.0.0.1 8080 -backupVServer bk -disablePrimaryOnDown ENABLED
            bind service s1 -monitorName m1
            bind serviceGroup g -monitorName m2 -monState DISABLED
            bind lb monitor tcp-default s1
            """;
        var first = ConfigWriter.Write(Build(text), DateTimeOffset.UnixEpoch);
        var second = ConfigWriter.Write(Build(first), DateTimeOffset.UnixEpoch);
        Assert.Equal(first, second);
        Assert.Contains("add lb monitor m1 HTTP -httpRequest \"GET /health\" -respCode 200-299 -interval 100 MSEC -resptimeout 80 MSEC -successRetries 2 -downTime 500 MSEC\n", first);
        Assert.Contains("-send \"PING\\\\r\\\\n\"", first);
        Assert.Contains("-interval 2 MIN -retries 5", first);
        Assert.Contains("bind serviceGroup g -monitorName m2 -monState DISABLED\n", first);
        Assert.Contains("bind service s1 -monitorName tcp-default\n", first);
        Assert.Contains("-disablePrimaryOnDown ENABLED", first);
        Assert.Matches(@"add service s2 127\.0\.0\.1 TCP 82 .*-healthMonitor NO\n", first);
        Assert.Equal(Build(text).MonitorsByName["m2"].Send, Build(first).MonitorsByName["m2"].Send);
    }
}
