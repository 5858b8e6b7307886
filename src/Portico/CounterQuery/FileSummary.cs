namespace Portico.CounterQuery;

/// <summary>What <c>-d setime</c> shows of one file.</summary>
internal sealed record FileSummary(string Path, DateTimeOffset? Start, DateTimeOffset? End, int Samples, int Events, int Counters,
    TimeSpan? Interval, int? ProcessId, string? Damage);
