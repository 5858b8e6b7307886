using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Portico.Acl;
using Portico.Configuration;
using Portico.Engine;
using Portico.Health;
using Portico.Testing;

namespace Portico.Core.Tests.Configuration;

/// <summary>
/// The section machinery: a batch carries over every section it does not touch (there is no copy to
/// forget), save config writes each registered section's lines in rank order, and a reload keeps only
/// what a section says survives.
/// </summary>
public sealed class ConfigSectionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-sections-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddPorticoCore().BuildServiceProvider();

    [Fact]
    public void A_batch_that_touches_no_section_keeps_every_section_and_save_config_writes_each_one()
    {
        var cert = TestCertificates.Create(_dir, "c", "c.test");
        var geo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../testdata/geoip/GeoIP2-Country-Test.mmdb"));
        var store = _services.GetRequiredService<ConfigStore>();
        var first = Build(store, RunningConfig.Empty, $"""
            enable ns mode USIP
            add ns netProfile p1 -proxyProtocol ENABLED
            add ns httpProfile h1 -maxReq 10 -eTag NORMALIZE -expires "text/css=1y,image/*=30d"
            add lb monitor m1 HTTP
            add server srv1 10.0.0.1
            add service s1 srv1 HTTP 80
            add serviceGroup g1 HTTP
            bind serviceGroup g1 srv1 81
            add lb vserver v1 SSL 10.0.1.1 443
            bind lb vserver v1 s1
            bind service s1 -monitorName m1
            add ssl certKey ck1 -cert {cert.CertPath} -key {cert.KeyPath}
            bind ssl vserver v1 -certkeyName ck1
            set ns geoip -database {geo}
            add ns simpleacl ban DENY -srcIP 203.0.113.5
            add ns acl a1 DENY -srcIP 203.0.113.6
            set ns counters -interval 30
            set ns profiler -cpuThreshold 90
            set audit syslogParams -serverIP 192.0.2.1
            add system user admin0 correct-horse-battery
            add ns ip 192.0.2.8 255.255.255.0 -type NSIP
            add HA node 1 192.0.2.9
            add lb vserver lb-t HTTP 0.0.0.0 0
            add cs vserver cs1 HTTP 10.0.1.2 80
            add cs action a1 -targetLBVserver lb-t
            add cs policy p1 -rule TRUE -action a1
            bind cs vserver cs1 -policyName p1 -priority 10
            bind cs vserver cs1 -lbvserver lb-t
            import responder htmlpage {cert.CertPath} page1
            add responder action ra1 respondwithhtmlpage -htmlpage page1
            add responder policy rp1 TRUE ra1
            add policy patset ps1
            add policy expression e1 TRUE
            add rewrite action wa1 insert_http_header X-A "\"1\""
            add rewrite policy wp1 TRUE wa1
            enable ns feature CMP
            set cmp parameter -cmpLevel bestspeed
            add cmp action ca1 -cmpType gzip
            add cmp policy cp1 -rule TRUE -resAction ca1

            set cache parameter -memLimit 200
            add cache contentGroup cg1 -relExpiry 60
            add cache policy kp1 -rule TRUE -action CACHE -storeInGroup cg1
            bind cache global kp1 -priority 10
            """);
        var written = ConfigWriter.Write(first, DateTimeOffset.UnixEpoch);
        var silent = first.Sections.Lines.Where(l => !l.Write(first).Any()).Select(l => l.Name).ToList();
        Assert.True(silent.Count == 0, "the config above writes nothing for: " + string.Join(", ", silent) + "; give each registered section a line here");

        var next = Build(store, first, "add server srv9 10.0.0.9");
        var again = ConfigWriter.Write(next, DateTimeOffset.UnixEpoch);
        Assert.Equal(written.Split('\n').Order(StringComparer.Ordinal), again.Split('\n').Where(l => l != "add server srv9 10.0.0.9").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_reload_keeps_only_what_a_section_says_survives()
    {
        var store = _services.GetRequiredService<ConfigStore>();
        var config = Build(store, RunningConfig.Empty, "add ns simpleacl ban DENY -srcIP 203.0.113.5 -TTL 600\nadd ns simpleacl keep DENY -srcIP 203.0.113.6\nadd lb monitor m1 HTTP");

        var reload = config.ForReload();

        Assert.Equal(["ban"], reload.SimpleAcls.AllLive(long.MinValue).Select(r => r.Name));
        Assert.Empty(reload.Monitors);
    }

    [Fact]
    public void A_rank_or_a_section_registered_twice_is_refused()
    {
        var sections = new ConfigSections();
        var section = ConfigSection.Ordered<string>("things");
        sections.Add(section, 700, _ => []);

        Assert.Contains("taken by 'things'", Assert.Throws<InvalidOperationException>(() => sections.AddLines("other", 700, _ => [])).Message);
        Assert.Contains("registered twice", Assert.Throws<InvalidOperationException>(() => sections.Add(section, 701, _ => [])).Message);
    }

    [Fact]
    public void A_batch_that_edits_a_section_nobody_registered_fails_rather_than_lose_it_on_save()
    {
        var registered = new ConfigSections();
        registered.AddLines("servers", 300, _ => []);
        var builder = new ConfigBuilder(RunningConfig.Empty, "test") { Sections = registered };
        builder.Edit(HealthSections.MonitorSection).Add("m1", LbMonitor.Create("m1", MonitorType.Http));

        Assert.Contains("'lb monitor' is not registered", Assert.Throws<InvalidOperationException>(builder.Build).Message);
    }

    [Fact]
    public void A_section_a_batch_never_set_reads_as_its_empty_value()
    {
        Assert.Equal(ImmutableArray<LbMonitor>.Empty, RunningConfig.Empty.Monitors);
        Assert.Same(SimpleAclSet.Empty, RunningConfig.Empty.SimpleAcls);
    }

    private static RunningConfig Build(ConfigStore store, RunningConfig on, string text)
    {
        var plan = store.Plan(on, text, "test");
        Assert.True(plan.Errors.Count == 0, string.Join("\n", plan.Errors));
        return plan.Next!;
    }

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
