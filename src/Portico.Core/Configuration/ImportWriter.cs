using System.Text;
using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>
/// Writes what <c>portico import -o</c> produces: the canonical form of every line that applied, then
/// every other command line of the input with its reason, so nothing exists only on the terminal.
/// Unsupported lines stay as written (they are valid NetScaler, kept and written back by save config);
/// rejected lines are commented out.
/// </summary>
public static class ImportWriter
{
    public static string Write(ImportReport report, string source, DateTimeOffset at)
    {
        var sb = new StringBuilder(ConfigWriter.Write(WithoutKeptLines(report.Config), at));
        foreach (var p in report.Disabled)
        {
            sb.Append($"# {p.Kind} {ConfigText.Quote(p.Name)} imported DISABLED: {p.Reason}\n");
        }

        var kept = report.Config.Unsupported;
        if (kept.Length > 0)
        {
            sb.Append($"\n# Lines of {source} that are valid NetScaler but not supported by Portico: kept as written, never applied.\n");
            foreach (var u in kept)
            {
                sb.Append($"# line {u.Line}: {u.Reason}\n").Append(u.Text.Trim()).Append('\n');
            }
        }

        var rejected = report.Rejected.ToList();
        if (rejected.Count > 0)
        {
            sb.Append($"\n# Lines of {source} that Portico cannot accept, set aside (commented out) with the reason.\n");
            foreach (var l in rejected)
            {
                sb.Append($"# line {l.Line} rejected: {string.Join("; ", l.Messages)}\n# {l.Text.Trim()}\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>The config without its kept lines: they are written below, each with its reason.</summary>
    private static RunningConfig WithoutKeptLines(RunningConfig c) => new(c) { Unsupported = [] };
}
