using Portico.Configuration;
using Portico.Geo;
using Portico.Policies.Expressions;

namespace Portico.Policies;

/// <summary>
/// The <see cref="ExpressionContext"/> of a config: what its rules may refer to. The location database is the one
/// <c>set ns geoip -database</c> names, the same the ACLs use; rules are compiled against the batch's config, so
/// a rule and the database it needs may arrive in one batch.
/// </summary>
public sealed class ExpressionContexts(GeoDatabases databases, TimeProvider time)
{
    public ExpressionContext For(RunningConfig config) => For(config.GeoIp, config.PolicyPatsets, config.PolicyExpressions);

    public ExpressionContext For(ConfigBuilder batch) => For(batch.GeoIp, batch.PolicyPatsets.Values, batch.PolicyExpressions.Values);

    /// <summary>The batch's context without one pattern set or named expression: what its removal would leave.</summary>
    public ExpressionContext Without(ConfigBuilder batch, string name) =>
        For(batch.GeoIp, batch.PolicyPatsets.Values.Where(p => p.Name != name), batch.PolicyExpressions.Values.Where(e => e.Name != name));

    private ExpressionContext For(GeoIpSettings geo, IEnumerable<PolicyPatset> patsets, IEnumerable<PolicyExpression> named)
    {
        var context = new ExpressionContext
        {
            Time = time,
            Locate = geo.Database is { } path ? Locator(databases.Open(path)) : null,
            Patsets = patsets.ToDictionary(p => p.Name, p => p.InOrder, StringComparer.OrdinalIgnoreCase),
        };

        // A named expression may use those added before it, so each is compiled against the ones before.
        var compiled = new Dictionary<string, CompiledExpression>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in named)
        {
            try
            {
                compiled[e.Name] = ExpressionCompiler.Compile(e.Value, context with { Named = compiled });
            }
            catch (Exception x) when (x is ExpressionException or UnsupportedExpressionException)
            {
                // Only a context without one of its parts (a removal being checked) gets here: the expressions
                // that needed it are left out, so the rules using them fail to compile and the removal is refused.
            }
        }

        return context with { Named = compiled };
    }

    /// <summary>NetScaler's qualifiers: continent, country code, region, city.</summary>
    private static Func<System.Net.IPAddress, string[]> Locator(GeoDatabase db) => address =>
    {
        var l = db.Locate(address);
        return l.IsEmpty ? [] : [l.Continent ?? "", l.CountryCode ?? "", l.SubdivisionName ?? "", l.City ?? ""];
    };
}
