using System.Globalization;
using System.Text;
using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>The report of <c>portico import</c> and <c>portico config check</c> as an operator reads it.</summary>
public static class ImportReportText
{
    /// <summary>Every command line with what became of it and why, then the objects imported disabled.</summary>
    public static string Lines(ImportReport report)
    {
        var sb = new StringBuilder();
        foreach (var l in report.Lines)
        {
            var word = LineReport.Word(l.Outcome);
            if (l.Messages.Count == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"line {l.Line}: {word}: {l.Text.Trim()}\n");
                continue;
            }

            sb.Append(CultureInfo.InvariantCulture, $"line {l.Line}: {word}: {l.Text.Trim()}\n");
            foreach (var m in l.Messages)
            {
                sb.Append("    ").Append(m).Append('\n');
            }
        }

        foreach (var p in report.Partial)
        {
            sb.Append(report.Disabled.Contains(p)
                ? $"{p.Kind} '{p.Name}' imported DISABLED: {p.Reason} (enable {p.Kind} {ConfigText.Quote(p.Name)} to serve without it, or import with --enable-partial)\n"
                : $"{p.Kind} '{p.Name}' is partial: {p.Reason}\n");
        }

        return sb.ToString();
    }

    /// <summary>One row per object kind, core load balancing first, then the totals and the core figure.</summary>
    public static string Summary(ImportReport report, string source)
    {
        var table = new TextTable("Object", "Lines", "Applied", "Kept without effect", "Unsupported", "Rejected");
        var core = LineReport.CoreKinds.ToList();
        var kinds = report.Lines.GroupBy(l => l.Kind, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => core.FindIndex(k => k.Equals(g.Key, StringComparison.OrdinalIgnoreCase)) is var i && i >= 0 ? i : int.MaxValue)
            .ThenBy(g => g.Key, StringComparer.OrdinalIgnoreCase);
        foreach (var g in kinds)
        {
            Row(table, g.Key, g.ToList());
        }

        Row(table, "total", report.Lines);
        var (applied, total) = report.Core;
        var c = report.Config;
        return $"{source}: {report.Lines.Count} command line(s): {report.Applied} applied ({report.Count(LineOutcome.KeptWithoutEffect)} with something kept without effect), "
            + $"{report.Count(LineOutcome.Unsupported)} unsupported, {report.Count(LineOutcome.Rejected)} rejected\n"
            + $"{c.Vservers.Length} vserver(s), {c.Services.Length} service(s), {c.ServiceGroups.Length} service group(s), {c.Servers.Length} server(s), "
            + $"{Count(c, "lb monitor")} monitor(s); {report.Disabled.Count} object(s) imported disabled\n"
            + table
            + $"core load balancing lines (servers, services, service groups, lb vservers, monitors and their binds): {applied} of {total} applied ({Percent(applied, total)})\n";
    }

    private static void Row(TextTable table, string kind, IReadOnlyCollection<LineReport> lines) =>
        table.Row(kind, lines.Count, lines.Count(l => l.Outcome == LineOutcome.Applied), lines.Count(l => l.Outcome == LineOutcome.KeptWithoutEffect),
            lines.Count(l => l.Outcome == LineOutcome.Unsupported), lines.Count(l => l.Outcome == LineOutcome.Rejected));

    /// <summary>The objects of a section, by its name: monitors are Health's, and Configuration names no concern.</summary>
    private static int Count(RunningConfig config, string section) =>
        config.Sections.All.FirstOrDefault(s => s.Name == section) is { } key && config.Values.TryGetValue(key, out var value) && value is System.Collections.ICollection items
            ? items.Count
            : 0;

    public static string Percent(int part, int total) =>
        total == 0 ? "-" : (100.0 * part / total).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
