using System.Net;
using System.Text;
using Portico.Configuration;

namespace Portico.Geo.Commands;

/// <summary><c>show ns geoip IP</c> and <c>portico geo</c>: what each database knows of one address.</summary>
internal sealed record GeoLookup(string Address, IReadOnlyList<GeoAnswer> Answers) : IQueryResult
{
    public static GeoLookup Of(IPAddress address, IEnumerable<GeoDatabase> databases) =>
        new(address.ToString(), [.. databases.Select(db => new GeoAnswer(Path.GetFileName(db.Path), db.IsAsn, db.HasCities, db.Locate(address)))]);

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(Address).Append('\n');
        var any = false;
        foreach (var answer in Answers)
        {
            var where = answer.Location;
            if (answer.IsAsn)
            {
                sb.Append(where.Asn is { } asn
                    ? $"  ASN: AS{asn} {where.AsnOrganization} (network {where.AsnNetwork})\n"
                    : $"  ASN: not in {answer.Database}\n");
                any |= where.Asn is not null;
                continue;
            }

            if (where.CountryCode is null && where.RegisteredCountryCode is null)
            {
                sb.Append($"  Country: not in {answer.Database}\n");
                continue;
            }

            any = true;
            sb.Append($"  Country: {where.CountryCode ?? "-"}{(where.CountryName is null ? "" : $" ({where.CountryName})")}");
            sb.Append(where.RegisteredCountryCode is { } reg && reg != where.CountryCode ? $", registered in {reg}\n" : "\n");
            if (answer.HasCities)
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
}

/// <summary>One database's answer.</summary>
/// <param name="Database">The database's file name.</param>
/// <param name="IsAsn">An ASN database (no countries).</param>
/// <param name="HasCities">A city database (cities and subdivisions).</param>
internal sealed record GeoAnswer(string Database, bool IsAsn, bool HasCities, GeoLocation Location);
