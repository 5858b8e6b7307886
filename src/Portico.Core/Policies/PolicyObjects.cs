using System.Collections.Immutable;

namespace Portico.Policies;

/// <summary><c>add policy patset NAME</c> with its <c>bind policy patset NAME STRING [-index N]</c> patterns.</summary>
public sealed record PolicyPatset(string Name, ImmutableList<PatsetPattern> Patterns, string? Comment)
{
    /// <summary>The patterns in index order (NetScaler's order when indexes are given), else binding order.</summary>
    public IReadOnlyList<string> InOrder => [.. Patterns.OrderBy(p => p.Index ?? int.MaxValue).Select(p => p.Text)];
}

public sealed record PatsetPattern(string Text, int? Index, string? Comment = null);

/// <summary><c>add policy expression NAME VALUE</c>: an expression other rules use by name.</summary>
public sealed record PolicyExpression(string Name, string Value, string? Comment);
