using System.Net;
using Portico.Geo;

namespace Portico.Geo.Commands;

/// <summary>How <c>portico geo</c> prints what the databases know of an address: the same text as <c>show ns geoip &lt;IP&gt;</c>.</summary>
public static class GeoReport
{
    /// <summary>Looks <paramref name="address"/> up in every database given and prints the result.</summary>
    public static string Describe(IPAddress address, IEnumerable<GeoDatabase> databases) => GeoLookup.Of(address, databases).ToText();

    /// <summary>One line per database: file, type, build date.</summary>
    public static string Describe(GeoDatabase db) => GeoDatabaseView.Of(db).Line;
}
