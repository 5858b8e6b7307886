using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>What became of a batch of commands.</summary>
public sealed record BatchResult(
    bool Applied,
    IReadOnlyList<ConfigError> Errors,
    IReadOnlyList<UnsupportedLine> Unsupported,
    IReadOnlyList<ConfigNote> Notes,
    IReadOnlyList<string> Output,
    int CommandCount)
{
    /// <summary>What the batch's queries and actions found, as data, in order (a failed one has its error in <see cref="Output"/> only).</summary>
    public IReadOnlyList<IQueryResult> Results { get; init; } = [];

    /// <summary>The whole report as an operator reads it: errors first, then kept lines, then notes, then output.</summary>
    public string Describe(bool includeNotes = true)
    {
        var lines = new List<string>();
        if (!Applied && Errors.Count > 0)
        {
            lines.Add($"ERROR: nothing applied; {Errors.Count} error(s):");
            lines.AddRange(Errors.Select(e => "  " + e));
        }

        if (Unsupported.Count > 0)
        {
            lines.Add($"{Unsupported.Count} line(s) kept but not supported by Portico:");
            lines.AddRange(Unsupported.Select(u => $"  line {u.Line}: {u.Reason}: {u.Text.Trim()}"));
        }

        if (includeNotes && Notes.Count > 0)
        {
            lines.AddRange(Notes.Select(n => "note: " + n));
        }

        lines.AddRange(Output.Where(o => o.Length > 0).Select(o => o.TrimEnd('\n')));
        return lines.Count == 0 ? "" : string.Join('\n', lines) + "\n";
    }
}
