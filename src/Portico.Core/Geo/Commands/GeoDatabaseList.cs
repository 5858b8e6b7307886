using Portico.Configuration;

namespace Portico.Geo.Commands;

/// <summary><c>show ns geoip</c>: the databases set, one line each; none when GeoIP is off.</summary>
internal sealed record GeoDatabaseList(IReadOnlyList<GeoDatabaseView> Databases) : IQueryResult
{
    public string ToText() =>
        Databases.Count == 0
            ? "No GeoIP database is set (set ns geoip -database <file.mmdb> [-asnDatabase <file.mmdb>])\n"
            : string.Concat(Databases.Select(d => d.Line + "\n"));
}

/// <summary>One database: file, type, build date.</summary>
internal sealed record GeoDatabaseView(string Path, string Type, DateTime BuildDate, int IPVersion)
{
    public static GeoDatabaseView Of(GeoDatabase db) => new(db.Path, db.DatabaseType, db.BuildDate, db.IPVersion);

    public string Line => $"{Path}: {Type}, built {BuildDate:yyyy-MM-dd}, IPv{IPVersion}";
}
