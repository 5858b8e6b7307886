using System.Net;

namespace Portico.Policies.Expressions;

/// <summary>
/// What an expression may refer to when it is compiled: the named expressions (<c>add policy expression</c>),
/// the pattern sets (<c>add policy patset</c>), the location of an address for <c>MATCHES_LOCATION</c>, and
/// the clock for <c>SYS.TIME</c>.
/// </summary>
public sealed record ExpressionContext
{
    public static readonly ExpressionContext Empty = new();

    /// <summary>Named expressions by name, already compiled (a named expression may use those added before it).</summary>
    public IReadOnlyDictionary<string, CompiledExpression> Named { get; init; } =
        new Dictionary<string, CompiledExpression>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Pattern sets by name: their patterns in index order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Patsets { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// NetScaler's location qualifiers of an address (continent, country code, region, city), or null when no
    /// location database is configured; <c>MATCHES_LOCATION</c> is refused at compile time without one.
    /// </summary>
    public Func<IPAddress, string[]>? Locate { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
