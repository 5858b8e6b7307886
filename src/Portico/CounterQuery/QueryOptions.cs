namespace Portico.CounterQuery;

/// <summary>What <c>portico counters</c> was asked: which files, which counters, how to show them.</summary>
/// <param name="Files">History files to read, oldest first.</param>
/// <param name="Patterns">Counter name patterns (<c>-g</c>): a substring, or a glob with <c>*</c>; empty for every counter.</param>
/// <param name="Mode">The display mode (<c>-d</c>).</param>
/// <param name="Above">Keep only values above this (<c>-s totalcount=N</c>).</param>
/// <param name="Since">Samples at or after this time.</param>
/// <param name="Until">Samples at or before this time.</param>
/// <param name="Entity">Only this entity (<c>-j vserver</c>): a vserver, service, core...; a glob with <c>*</c>.</param>
internal sealed record QueryOptions(
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Patterns,
    DisplayMode Mode,
    long? Above,
    DateTimeOffset? Since,
    DateTimeOffset? Until,
    string? Entity)
{
    public bool MatchesCounter(string name) => Patterns.Count == 0 || Patterns.Any(p => Glob.Matches(p, name, substring: true));

    public bool MatchesEntity(string entity) => Entity is null || Glob.Matches(Entity, entity, substring: false);

    public bool InWindow(DateTimeOffset t) => (Since is null || t >= Since) && (Until is null || t <= Until);
}
