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
    public ExpressionContext For(RunningConfig config) => For(config.GeoIp);

    public ExpressionContext For(ConfigBuilder batch) => For(batch.GeoIp);

    private ExpressionContext For(GeoIpSettings geo) => new()
    {
        Time = time,
        Locate = geo.Database is { } path ? Locator(databases.Open(path)) : null,
    };

    /// <summary>NetScaler's qualifiers: continent, country code, region, city.</summary>
    private static Func<System.Net.IPAddress, string[]> Locator(GeoDatabase db) => address =>
    {
        var l = db.Locate(address);
        return l.IsEmpty ? [] : [l.Continent ?? "", l.CountryCode ?? "", l.SubdivisionName ?? "", l.City ?? ""];
    };
}
