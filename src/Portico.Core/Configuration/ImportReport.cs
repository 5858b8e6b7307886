namespace Portico.Configuration;

/// <summary>
/// The outcome of reading a whole file leniently (<c>portico import</c>, <c>portico config check</c>): the
/// config built, and every command line of the input with what became of it.
/// </summary>
/// <param name="Config">The config of every line that applied.</param>
/// <param name="Lines">Every command line of the input (not blanks or comments), in order.</param>
/// <param name="Disabled">Objects imported disabled because part of what they do was not applied, with why.</param>
public sealed record ImportReport(RunningConfig Config, IReadOnlyList<LineReport> Lines, IReadOnlyList<PartialObject> Disabled)
{
    /// <summary>Every partial object found, disabled or not (with <c>--enable-partial</c> none is disabled).</summary>
    public IReadOnlyList<PartialObject> Partial { get; init; } = [];

    public int Count(LineOutcome outcome) => Lines.Count(l => l.Outcome == outcome);

    /// <summary>Lines applied, with or without something kept without effect.</summary>
    public int Applied => Lines.Count(l => l.IsApplied);

    public IEnumerable<LineReport> Rejected => Lines.Where(l => l.Outcome == LineOutcome.Rejected);

    /// <summary>Core load balancing lines applied, of all core lines (servers, services, groups, vservers, monitors and their binds).</summary>
    public (int Applied, int Total) Core => (Lines.Count(l => l.IsCore && l.IsApplied), Lines.Count(l => l.IsCore));
}
