namespace Portico.Configuration;

/// <summary>One concern's lines of <c>save config</c>, at its <see cref="ConfigRank"/>.</summary>
/// <param name="Name">What the lines are, for the duplicate-rank error.</param>
/// <param name="Write">The lines, canonical: options in a fixed order, defaults left out.</param>
public sealed record SavedLines(string Name, int Rank, Func<RunningConfig, IEnumerable<string>> Write);
