using System.Net;
using System.Text;
using Portico.Geo;

namespace Portico.Geo.Commands;

/// <summary>How <c>portico geo</c> and <c>show ns geoip &lt;IP&gt;</c> print what the databases know of an address.</summary>
public static class GeoReport
{
    /// <summary>Looks <paramref name="address"/> up in every database given and prints the result.</summary>
    public static string Describe(IPAddress address, IEnumerable<GeoDatabase> databases)
    {
        var sb = new StringBuilder();
        sb.Append(address).Append('\n');
        var any = false;
        foreach (var db in databases)
        {
            var where = db.Locate(address);
            if (db.IsAsn)
            {
                sb.Append(where.Asn is { } asn
                    ? $"  ASN: AS{asn} {where.AsnOrganization} (network {where.AsnNetwork})\n"
                    : $"  ASN: not in {Path.GetFileName(db.Path)}\n");
                any |= where.Asn is not null;
                continue;
            }

            if (where.CountryCode is null && where.RegisteredCountryCode is null)
            {
                sb.Append($"  Country: not in {Path.GetFileName(db.Path)}\n");
                continue;
            }

            any = true;
            sb.Append($"  Country: {where.CountryCode ?? "-"}{(where.CountryName is null ? "" : $" ({where.CountryName})")}");
            sb.Append(where.RegisteredCountryCode is { } reg && reg != where.CountryCode ? $", registered in {reg}\n" : "\n");
            if (db.HasCities)
            {
                sb.Append($"  City: {where.City ?? "-"}");
                sb.Append(where.SubdivisionCode is null ? "\n" : $" ({where.SubdivisionName ?? where.SubdivisionCode}, {where.SubdivisionCode})\n");
            }

            sb.Append($"  Network: {where.Network}\n");
        }

        if (!any)
        {
            sb.Append("  (no database knows this address: private, loopback or unallocated addresses have no location)\n");
        }

        return sb.ToString();
    }

    /// <summary>One line per database: file, type, build date.</summary>
    public static string Describe(GeoDatabase db) =>
        $"{db.Path}: {db.DatabaseType}, built {db.BuildDate:yyyy-MM-dd}, IPv{db.IPVersion}";
}
