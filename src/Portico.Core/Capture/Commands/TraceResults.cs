using System.Globalization;
using System.Text;
using Portico.Configuration;

namespace Portico.Capture.Commands;

/// <summary><c>start nstrace</c>: the capture that started and where it writes.</summary>
/// <param name="Description">What it captures, in one line (source, filter, packet size, format, files).</param>
/// <param name="Ignored">NetScaler options given that have no effect in Portico.</param>
internal sealed record TraceStarted(string Name, string Description, string File, IReadOnlyList<string> Ignored) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var kept in Ignored)
        {
            sb.Append("note: ").Append(kept).Append(" is accepted for compatibility and has no effect in Portico\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"Trace {Name} started: {Description}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Writing {File}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Stop it with: stop nstrace -fileName {Name}\n");
        return sb.ToString();
    }
}

/// <summary><c>stop nstrace</c>: the captures stopped, each with its summary (packets, drops, files).</summary>
internal sealed record TracesStopped(IReadOnlyList<TraceSummary> Stopped) : IQueryResult
{
    public string ToText() => string.Concat(Stopped.Select(s => $"Trace {s.Name} stopped: {s.Summary}"));
}

/// <summary>A capture's name and its summary as the CLI prints it.</summary>
internal sealed record TraceSummary(string Name, string Summary);

/// <summary><c>show nstrace</c>: running captures and the last stopped ones.</summary>
internal sealed record TraceList(string Directory, IReadOnlyList<TraceRow> Traces) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Name", "State", "Mode", "Where", "Packets", "Dropped", "Files", "MB", "Started", "Filter");
        foreach (var s in Traces)
        {
            table.Row(s.Name, s.Running ? "RUNNING" : "STOPPED", s.Mode, s.Where, s.Packets, s.Dropped, s.Files,
                (s.BytesOnDisk / (1024.0 * 1024)).ToString("0.##", CultureInfo.InvariantCulture),
                s.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), s.Filter ?? "(all)");
        }

        return $"{Traces.Count} trace(s); trace directory {Directory}\n"
            + (Traces.Count == 0 ? "" : table.ToString())
            + string.Concat(Traces.Where(s => !s.Running).Select(s => $"{s.Name}: stopped: {s.StopReason}\n"));
    }
}

/// <summary>One capture of <c>show nstrace</c>.</summary>
/// <param name="Mode"><c>WIRE</c> or <c>SSLPLAIN</c>.</param>
/// <param name="Where">Interfaces, or the decrypted tap.</param>
/// <param name="Filter">The filter as written; null for all packets.</param>
/// <param name="StopReason">Null while it runs.</param>
internal sealed record TraceRow(string Name, bool Running, string Mode, string Where, long Packets, long Dropped, int Files, long BytesOnDisk,
    DateTimeOffset Started, string? Filter, string? StopReason);

/// <summary><c>show nstrace -fileName NAME</c>: one capture, with its files.</summary>
/// <param name="SslPlain">A decrypted tap, not a wire capture.</param>
/// <param name="Summary">Packets, drops and files as the CLI prints them.</param>
internal sealed record TraceDetail(string Name, bool Running, string? StopReason, string Description, DateTimeOffset Started, DateTimeOffset? Stopped,
    string? Note, bool SslPlain, string Summary) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Name}: {(Running ? "RUNNING" : $"STOPPED ({StopReason})")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"\t{Description}\n");
        sb.Append(CultureInfo.InvariantCulture, $"\tStarted: {Started.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        if (Stopped is { } at)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\tStopped: {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        }

        sb.Append('\n');
        if (Note is { } note)
        {
            sb.Append("\tNote: ").Append(note).Append('\n');
        }

        if (SslPlain)
        {
            sb.Append("\tNot a wire capture: plaintext as Portico read and wrote it, framed as synthesized TCP packets\n");
        }

        sb.Append('\t').Append(Summary.Replace("\n  ", "\n\t  ", StringComparison.Ordinal));
        return sb.ToString();
    }
}
