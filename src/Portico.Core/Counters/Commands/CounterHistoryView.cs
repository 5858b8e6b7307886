using System.Globalization;
using System.Text;
using Portico.Configuration;
using Portico.Counters.History;

namespace Portico.Counters.Commands;

/// <summary><c>show ns counters</c>: the history log's settings and file, then every counter Portico declares.</summary>
/// <param name="Directory">Where the log is written; null when it is not.</param>
/// <param name="Writing">The file being written, or null.</param>
/// <param name="WritingBytes">Its size, or null.</param>
/// <param name="Samples">Samples written by this process.</param>
internal sealed record CounterHistoryView(HistorySettings Settings, string? Directory, string? Writing, long? WritingBytes, long Samples, string? LastError,
    IReadOnlyList<CounterDeclaration> Counters) : IQueryResult
{
    public string ToText()
    {
        var s = Settings;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"History log: {(s.Interval == TimeSpan.Zero ? "off (-interval 0)" : $"every {s.Interval.TotalSeconds:0.###} s")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  Directory: {Directory ?? "none (no -directory and no default: not written)"}\n");
        sb.Append(CultureInfo.InvariantCulture, $"  Rotation: every {s.RotateAfter.TotalMinutes:0} min or {s.RotateBytes / 1024} KB; {s.KeepFiles} archive(s) kept\n");
        if (Writing is { } path)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  Writing: {path} ({WritingBytes} bytes, {Samples} sample(s) by this process)\n");
        }

        if (LastError is { } error)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  Last error: {error}\n");
        }

        var table = new TextTable("Counter", "Kind", "Unit", "Entity", "Description");
        foreach (var d in Counters)
        {
            table.Row(d.Name, d.Kind, d.Unit, d.EntityTag ?? "-", d.Description);
        }

        return sb.Append('\n').Append(table).ToString();
    }
}

/// <summary>A counter as the catalogue declares it.</summary>
/// <param name="Kind"><c>total</c> or <c>gauge</c>.</param>
/// <param name="EntityTag">The tag naming the entity (<c>vserver</c>, <c>service</c>), or null for one process-wide value.</param>
internal sealed record CounterDeclaration(string Name, string Kind, string Unit, string? EntityTag, string Description);
