using System.Text.RegularExpressions;
using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary><c>portico import</c> on the real NetScaler configs in shared/testdata/nsconf.</summary>
public partial class ImportVerbTests
{
    public static readonly TheoryData<string> Files = new(Directory.GetFiles(NsConfDir, "*.conf").Select(Path.GetFileName)!);

    private static string NsConfDir => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../testdata/nsconf"));

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_line_of_a_real_ns_conf_is_applied_or_named_with_its_number(string file)
    {
        var path = Path.Combine(NsConfDir, file);
        var output = Path.Combine(Directory.CreateTempSubdirectory().FullName, "imported.conf");
        var (code, text) = await PorticoProcess.RunAsync(["import", path, "-o", output]);
        Assert.True(code == 0, text);

        // Which lines were named in the report, and which were commands at all.
        var named = LineRefs().Matches(text).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var lines = File.ReadAllLines(path);
        var commands = lines.Select((l, i) => (l.Trim(), i + 1)).Where(x => x.Item1.Length > 0 && !x.Item1.StartsWith('#')).ToList();
        var applied = int.Parse(Applied().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(commands.Count, applied + named.Count);

        // The written config loads strictly, and still holds every unsupported line.
        var (checkCode, checkText) = await PorticoProcess.RunAsync(["config", "check", output]);
        Assert.True(checkCode == 0, checkText);
        var written = File.ReadAllText(output);
        foreach (var n in named.Where(n => text.Contains($"line {n}: ", StringComparison.Ordinal) && !text.Contains($"line {n}, column", StringComparison.Ordinal)))
        {
            Assert.Contains(lines[n - 1].Trim(), written);
        }
    }

    [Fact]
    public async Task The_v13_dump_keeps_its_load_balancing_and_names_what_it_cannot_carry()
    {
        var (code, text) = await PorticoProcess.RunAsync(["import", Path.Combine(NsConfDir, "flipper-ns1_v13.1.conf")]);
        Assert.Equal(0, code);
        Assert.Contains("2 vserver(s)", text);
        Assert.Contains("1 service group(s)", text);
        Assert.Contains("line 48: 'add cs vserver' is not supported by Portico", text);
        Assert.Contains("line 38: 'nshttpd-gui-127.0.0.1-80' is a NetScaler built-in service", text);
    }

    [GeneratedRegex(@"line (\d+)[:,]")]
    private static partial Regex LineRefs();

    [GeneratedRegex(@"(\d+) line\(s\) applied")]
    private static partial Regex Applied();
}
