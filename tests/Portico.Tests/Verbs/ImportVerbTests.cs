using System.Text.RegularExpressions;
using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary><c>portico import</c> on the real NetScaler configs in testdata/nsconf, as an operator runs it.</summary>
public partial class ImportVerbTests
{
    public static readonly TheoryData<string> Files = new(Directory.GetFiles(NsConfDir, "*.conf").Select(Path.GetFileName)!);

    private static string NsConfDir => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../testdata/nsconf"));

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_command_line_is_reported_and_written_and_the_output_loads(string file)
    {
        var path = Path.Combine(NsConfDir, file);
        var output = Path.Combine(Directory.CreateTempSubdirectory().FullName, "imported.conf");
        var (code, text) = await PorticoProcess.RunAsync(["import", path, "-o", output]);
        Assert.True(code == 0, text);

        // Each command line of the input has its own report line, with its outcome.
        var lines = File.ReadAllLines(path);
        var commands = lines.Select((l, i) => (Text: l.Trim(), Line: i + 1)).Where(x => x.Text.Length > 0 && !x.Text.StartsWith('#')).ToList();
        var reported = ReportLine().Matches(text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(commands.Select(c => c.Line), reported);
        Assert.Contains($"{file}: {commands.Count} command line(s): ", text);

        // The written config holds every line that did not apply, and loads in a strict check.
        var written = File.ReadAllText(output);
        foreach (var m in NotApplied().Matches(text).Cast<Match>())
        {
            var n = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"# line {n}", written);
            Assert.Contains(lines[n - 1].Trim(), written);
        }

        var (checkCode, checkText) = await PorticoProcess.RunAsync(["config", "check", output]);
        Assert.True(checkCode == 0, checkText);
        Assert.Contains("OK: a running Portico accepts this file", checkText);
    }

    [Fact]
    public async Task Summary_prints_the_table_per_object_kind_and_the_core_figure()
    {
        var (code, text) = await PorticoProcess.RunAsync(["import", "--summary", Path.Combine(NsConfDir, "flipper-groot.ns.conf")]);
        Assert.Equal(0, code);
        Assert.DoesNotContain("line 7:", text);
        Assert.Matches(@"serviceGroup\s+14\s+13\s+1\s+0\s+0", text);
        Assert.Matches(@"cs vserver\s+10\s+10\s+0\s+0\s+0", text);
        Assert.Matches(@"total\s+97\s+48\s+1\s+42\s+6", text);
        Assert.Contains("core load balancing lines (servers, services, service groups, lb vservers, monitors and their binds): 31 of 31 applied (100.0%)", text);
    }

    [Fact]
    public async Task The_v13_dump_keeps_its_load_balancing_and_names_what_it_cannot_carry()
    {
        var (code, text) = await PorticoProcess.RunAsync(["import", Path.Combine(NsConfDir, "flipper-ns1_v13.1.conf")]);
        Assert.Equal(0, code);
        Assert.Contains("2 vserver(s), 0 service(s), 1 service group(s), 2 server(s), 1 monitor(s); 0 object(s) imported disabled", text);
        Assert.Contains("line 48: applied: add cs vserver app2_cs_vs HTTP 192.168.86.143 443 -cltTimeout 180 -persistenceType NONE", text);
        Assert.Contains("line 153: unsupported: add route 0.0.0.0 0.0.0.0 192.168.86.1\n    'add route' is not supported by Portico", text);
        Assert.Contains("line 38: kept without effect: set service nshttpd-gui-127.0.0.1-80 -cip ENABLED\n    'nshttpd-gui-127.0.0.1-80' is a NetScaler built-in service", text);
        Assert.Contains("line 112: applied: bind lb vserver app2_http_vs -policyName app2_rewrite_policy -priority 100 -gotoPriorityExpression END -type REQUEST", text);
    }

    [Fact]
    public async Task Persistence_portico_lacks_is_named_on_the_vserver_line()
    {
        var (_, text) = await PorticoProcess.RunAsync(["import", Path.Combine(NsConfDir, "flipper-persistence.ns.conf")]);
        Assert.Contains("line 19: kept without effect: add lb vserver vs_sslsession SSL 10.1.1.103 443 -persistenceType SSLSESSION -timeout 30\n"
            + "    persistence type SSLSESSION is not supported by Portico; -persistenceType is kept but has no effect", text);
        Assert.Contains("    persistence type URLPASSIVE is not supported by Portico", text);
        Assert.Contains("    persistence type CUSTOMSERVERID is not supported by Portico", text);
        Assert.Contains("    -cookieName NSPERSIST is kept but has no effect in Portico", text);
    }

    [GeneratedRegex(@"^line (\d+): (applied|kept without effect|unsupported|rejected): ", RegexOptions.Multiline)]
    private static partial Regex ReportLine();

    [GeneratedRegex(@"^line (\d+): (unsupported|rejected): ", RegexOptions.Multiline)]
    private static partial Regex NotApplied();
}
