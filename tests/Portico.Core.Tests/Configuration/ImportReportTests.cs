using Portico.Acl;
using Portico.Configuration;
using Portico.Health;
using static Portico.Core.Tests.CommandLanguage.Language;

namespace Portico.Core.Tests.Configuration;

/// <summary>The import report on the real NetScaler configs of testdata/nsconf: every command line accounted for, counted per file.</summary>
public class ImportReportTests
{
    private static string NsConfDir => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../testdata/nsconf"));

    private static ImportReport Import(string text, bool disablePartial = true) =>
        ConfigImporter.Import(Store, text, "test.conf", new ImportOptions(disablePartial));

    [Theory]
    [InlineData("flipper-anyProtocol.ns.conf", 20, 20, 0, 0, 0, 20, 20, 0)]
    [InlineData("flipper-groot.ns.conf", 97, 48, 1, 42, 6, 31, 31, 0)]
    [InlineData("flipper-namaste.conf", 28, 22, 0, 5, 1, 20, 20, 0)]
    [InlineData("flipper-ns1_v13.1.conf", 191, 36, 25, 126, 4, 19, 19, 0)]
    [InlineData("flipper-persistence.ns.conf", 13, 9, 4, 0, 0, 13, 13, 0)]
    [InlineData("flipper-spillover.ns.conf", 15, 15, 0, 0, 0, 15, 15, 0)]
    public void Every_command_line_of_a_real_ns_conf_is_accounted_for(string file, int lines, int applied, int kept, int unsupported, int rejected,
        int coreApplied, int coreTotal, int disabled)
    {
        var text = File.ReadAllText(Path.Combine(NsConfDir, file));
        var report = Import(text);

        var commandLines = text.ReplaceLineEndings("\n").Split('\n').Select((l, i) => (Text: l.Trim(), Line: i + 1))
            .Where(x => x.Text.Length > 0 && !x.Text.StartsWith('#')).Select(x => x.Line).ToList();
        Assert.Equal(commandLines, report.Lines.Select(l => l.Line));
        Assert.All(report.Lines.Where(l => l.Outcome != LineOutcome.Applied), l => Assert.NotEmpty(l.Messages));
        Assert.Equal((lines, applied, kept, unsupported, rejected),
            (report.Lines.Count, report.Count(LineOutcome.Applied), report.Count(LineOutcome.KeptWithoutEffect), report.Count(LineOutcome.Unsupported), report.Count(LineOutcome.Rejected)));
        Assert.Equal((coreApplied, coreTotal), report.Core);
        Assert.Equal(disabled, report.Disabled.Count);
    }

    [Fact]
    public void Across_the_real_configs_at_least_95_percent_of_core_load_balancing_lines_apply()
    {
        var reports = Directory.GetFiles(NsConfDir, "*.conf").Select(f => Import(File.ReadAllText(f))).ToList();
        var applied = reports.Sum(r => r.Core.Applied);
        var total = reports.Sum(r => r.Core.Total);
        Assert.True(applied * 100 >= total * 95, $"{applied} of {total}");
    }

    [Fact]
    public void The_attributes_netscaler_save_config_writes_are_accepted_silently_and_written_back()
    {
        var report = Import("""
            add server s1 10.0.0.1 -devno 11415
            add service svc1 s1 HTTP 80 -gslb NONE -maxClient 0 -maxReq 0 -cip DISABLED -usip NO -useproxyport YES -sp OFF -cltTimeout 180 -svrTimeout 360 -CKA NO -TCPB NO -CMP NO -devno 42
            add lb monitor m1 TCP -LRTM DISABLED -deviation 0 -devno 12356
            bind service svc1 -monitorName m1 -devno 7
            add lb vserver v1 HTTP 10.0.0.100 80 -persistenceType NONE -Listenpolicy None -devno 50003968
            bind lb vserver v1 svc1 -devno 9
            """);
        Assert.All(report.Lines, l => Assert.Equal(LineOutcome.Applied, l.Outcome));
        var written = ConfigWriter.Write(report.Config, DateTimeOffset.UnixEpoch);
        Assert.Contains("add server s1 10.0.0.1 -devno 11415", written);
        Assert.Contains("-gslb NONE", written);
        Assert.Contains("-devno 50003968", written);
        Assert.Contains("bind lb vserver v1 svc1 -devno 9", written);
        Assert.Contains("bind service svc1 -monitorName m1 -devno 7", written);
    }

    [Fact]
    public void A_monitor_header_with_CR_LF_is_written_back_with_the_escapes_it_was_read_with()
    {
        var config = Build("add lb monitor ecv HTTP-ECV -send \"GET /\" -recv \"\\\"ok\\\"\" -customHeaders \"Host: x\\r\\n\"");
        var written = ConfigWriter.Write(config, DateTimeOffset.UnixEpoch);
        Assert.Contains("-customHeaders \"Host: x\\r\\n\"", written);
        Assert.Contains("-recv \"\\\"ok\\\"\"", written);
        var reread = Build(written).MonitorsByName["ecv"];
        Assert.Equal(("Host: x\r\n", "\"ok\""), (reread.CustomHeaders, reread.Recv));
    }

    [Fact]
    public void The_reference_names_every_attribute_accepted_silently()
    {
        var reference = File.ReadAllText(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../docs/reference/commands.md")));
        Assert.Contains("`-devno <n>`", reference);
        foreach (var (option, values) in Portico.CommandLanguage.SavedConfigAttributes.All)
        {
            Assert.Contains($"`-{option} {values[0]}`", reference, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_same_option_at_a_value_that_changes_something_is_kept_with_a_note()
    {
        var report = Import("add server s1 10.0.0.1\nadd service svc1 s1 HTTP 80 -gslb REMOTE -CKA YES");
        var line = report.Lines[1];
        Assert.Equal(LineOutcome.KeptWithoutEffect, line.Outcome);
        Assert.Contains("-gslb REMOTE is kept but has no effect in Portico", line.Messages);
        Assert.Contains("-CKA YES is kept but has no effect in Portico", line.Messages);
    }

    [Fact]
    public void Saved_acls_the_appliance_had_in_force_are_applied_by_the_import()
    {
        var report = Import("add ns acl r1 DENY -srcIP = 10.0.0.1 -priority 10 -kernelstate SFAPPLIED61 -devno 3\nadd ns acl r2 DENY -srcIP = 10.0.0.2 -priority 20 -kernelstate SFAPPLIED61");
        Assert.Equal(2, report.Lines.Count);
        Assert.All(report.Lines, l => Assert.Equal(LineOutcome.Applied, l.Outcome));
        Assert.Equal("-kernelstate SFAPPLIED61: the rule was in force on the appliance, so the import applies the ACLs (apply ns acls), as the appliance does at boot", report.Lines[0].Messages[0]);
        Assert.False(report.Config.ExtendedAcls.V4.HasPending(0));
        var written = ConfigWriter.Write(report.Config, DateTimeOffset.UnixEpoch);
        Assert.Contains("-kernelstate SFAPPLIED61", written);
        Assert.Contains("apply ns acls\n", written);

        // In a running Portico the attribute itself changes nothing: rules are pending until apply.
        var plan = Plan("add ns acl r1 DENY -srcIP = 10.0.0.1 -priority 10 -kernelstate SFAPPLIED61");
        Assert.Equal("-kernelstate SFAPPLIED61 is kept but has no effect in Portico", Assert.Single(plan.Notes).Message);
        Assert.True(plan.Next!.ExtendedAcls.V4.HasPending(0));
    }

    [Fact]
    public void A_line_that_only_names_an_unsupported_object_is_unsupported_and_cites_its_line()
    {
        var plan = Plan("""
            add vpn vserver cs1 SSL 10.0.0.1 443
            bind ssl vserver cs1 -certkeyName c1
            add lb monitor h2 HTTP2
            add server s1 10.0.0.2
            add service svc1 s1 HTTP 80
            bind service svc1 -monitorName h2
            """);
        Assert.Empty(plan.Errors);
        Assert.Equal([1, 2, 3, 6], plan.Unsupported.Select(u => u.Line));
        Assert.Equal("refers to 'cs1', which line 1 defines: 'add vpn vserver' is not supported by Portico", plan.Unsupported[1].Reason);
        Assert.StartsWith("refers to 'h2', which line 3 defines: monitor type HTTP2", plan.Unsupported[3].Reason);
        Assert.Empty(plan.Next!.MonitorBindings);
    }

    [Theory]
    [InlineData("add route 0.0.0.0 0.0.0.0 10.0.0.1", "'add route' is not supported by Portico")]
    [InlineData("set interface 0/1 -haMonitor OFF", "'set interface' is not supported by Portico")]
    [InlineData("add dns nsRec . a.root-servers.net -TTL 3600000", "'add dns nsRec' is not supported by Portico")]
    [InlineData("set ns tcpbufParam -size 64 -memLimit 64", "'set ns tcpbufParam' is not supported by Portico")]
    [InlineData("set tcpbufParam -size 64", "'set ns tcpbufParam' is not supported by Portico")]
    [InlineData("set snmp alarm CPU-USAGE -time 0", "'set snmp alarm' is not supported by Portico")]
    public void Unsupported_lines_name_the_command_only(string line, string reason)
    {
        var plan = Plan(line);
        Assert.Empty(plan.Errors);
        Assert.Equal(reason, Assert.Single(plan.Unsupported).Reason);
    }

    [Fact]
    public void A_vserver_whose_policies_are_not_applied_is_imported_disabled_with_the_reason()
    {
        const string Redirect = """
            add server dummy 10.0.0.9
            add service dummy_svc dummy HTTP 80
            add lb vserver http_redirect HTTP 10.0.0.100 80
            bind lb vserver http_redirect dummy_svc
            bind lb vserver http_redirect -policyName to_https -priority 100 -gotoPriorityExpression END -type REQUEST
            add responder policy to_https true redirect_action
            """;
        var report = Import(Redirect);
        var disabled = Assert.Single(report.Disabled);
        Assert.Equal(("lb vserver", "http_redirect"), (disabled.Kind, disabled.Name));
        Assert.Contains("policy 'to_https' is not applied (line 5: no policy named 'to_https'", disabled.Reason);
        Assert.False(report.Config.VserversByName["http_redirect"].Enabled);
        Assert.Equal(LineOutcome.KeptWithoutEffect, report.Lines[2].Outcome);
        Assert.StartsWith("imported DISABLED: policy 'to_https'", report.Lines[2].Messages[0]);

        var partial = Import(Redirect, disablePartial: false);
        Assert.True(partial.Config.VserversByName["http_redirect"].Enabled);
        Assert.Empty(partial.Disabled);
        Assert.Single(partial.Partial);
    }

    [Fact]
    public void A_service_whose_monitor_cannot_be_bound_and_an_ssl_service_with_clear_text_port_are_imported_disabled()
    {
        var report = Import("""
            add server s1 10.0.0.1
            add service web s1 HTTP 80
            add lb monitor h2 HTTP2
            bind service web -monitorName h2
            add service tls s1 SSL 443 -clearTextPort 80
            add service plain s1 HTTP 8080
            """);
        Assert.Equal(["tls", "web"], report.Disabled.Select(d => d.Name).Order());
        Assert.Contains("monitor 'h2' is not bound (line 4:", report.Disabled.Single(d => d.Name == "web").Reason);
        Assert.Contains("without it Portico would probe with its default monitor", report.Disabled.Single(d => d.Name == "web").Reason);
        Assert.Contains("-clearTextPort 80 is not applied", report.Disabled.Single(d => d.Name == "tls").Reason);
        Assert.True(report.Config.ServicesByName["plain"].Enabled);
        Assert.False(report.Config.ServicesByName["web"].Enabled);
    }

    [Fact]
    public void A_line_naming_an_object_set_aside_cites_the_line_that_defined_it()
    {
        var report = Import("""
            add lb vserver v1 HTTP 10.0.0.1 80 -lbMethod FASTEST
            bind lb vserver v1 nosuch
            """);
        Assert.Equal(LineOutcome.Rejected, report.Lines[1].Outcome);
        Assert.StartsWith("refers to 'v1', which line 1 defines but was set aside: expected an LB method", report.Lines[1].Messages[0]);
    }

    [Fact]
    public void Import_output_holds_every_command_line_and_loads_strictly()
    {
        var text = File.ReadAllText(Path.Combine(NsConfDir, "flipper-ns1_v13.1.conf"));
        var report = Import(text);
        var written = ImportWriter.Write(report, "ns1.conf", DateTimeOffset.UnixEpoch);
        foreach (var l in report.Lines.Where(l => !l.IsApplied || l.Outcome == LineOutcome.KeptWithoutEffect && l.Messages[0].Contains("built-in", StringComparison.Ordinal)))
        {
            Assert.Contains(l.Outcome == LineOutcome.Rejected ? "# " + l.Text.Trim() : l.Text.Trim(), written);
        }

        foreach (var l in report.Rejected)
        {
            Assert.Contains($"# line {l.Line} rejected: ", written);
        }

        var reread = Plan(written);
        Assert.Empty(reread.Errors);
        Assert.Equal(report.Lines.Count(l => l.Outcome == LineOutcome.Unsupported || (l.Outcome == LineOutcome.KeptWithoutEffect && l.Messages[0].Contains("built-in", StringComparison.Ordinal))),
            reread.Unsupported.Count);
        Assert.True(reread.Next!.VserversByName["app2_http_vs"].Enabled);
    }

    [Fact]
    public void A_line_wrapped_in_two_gets_a_hint_to_join_them()
    {
        var plan = Plan("add lb vserver v1 HTTP 10.0.0.1 80\n-lbMethod ROUNDROBIN -cltTimeout 180");
        var e = Assert.Single(plan.Errors);
        Assert.Equal(2, e.Line);
        Assert.Contains("this looks like the rest of line 1, wrapped: join the two lines", e.Message);

        var quote = Plan("add server s1 10.0.0.1 -comment \"first half\nsecond half\"");
        Assert.Contains("the line seems to continue on line 2: join the two lines", quote.Errors[0].Message);
    }
}
