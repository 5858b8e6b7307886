using System.Net;
using MaxMind.Db;
using MaxMind.GeoIP2;
using MaxMind.GeoIP2.Responses;

namespace Portico.Geo;

/// <summary>
/// One MaxMind database file, opened memory-mapped: full lookups through MaxMind.GeoIP2 for
/// <c>portico geo</c>, and a country-only lookup through MaxMind.Db for the data path, which decodes
/// the two country codes of the record and nothing else (no names, no city).
/// </summary>
public sealed class GeoDatabase
{
    private readonly DatabaseReader _full;
    private readonly Reader _fast;

    private GeoDatabase(string path, DatabaseReader full, Reader fast)
    {
        Path = path;
        _full = full;
        _fast = fast;
        DatabaseType = full.Metadata.DatabaseType;
        BuildDate = full.Metadata.BuildDate;
        IPVersion = full.Metadata.IPVersion;
    }

    public string Path { get; }

    /// <summary><c>GeoIP2-City</c>, <c>GeoLite2-Country</c>, <c>GeoLite2-ASN</c>...</summary>
    public string DatabaseType { get; }

    public DateTime BuildDate { get; }

    public int IPVersion { get; }

    /// <summary>True for City, Country and Enterprise databases: they carry countries.</summary>
    public bool HasCountries => DatabaseType.Contains("City", StringComparison.OrdinalIgnoreCase)
        || DatabaseType.Contains("Country", StringComparison.OrdinalIgnoreCase)
        || DatabaseType.Contains("Enterprise", StringComparison.OrdinalIgnoreCase);

    public bool HasCities => DatabaseType.Contains("City", StringComparison.OrdinalIgnoreCase)
        || DatabaseType.Contains("Enterprise", StringComparison.OrdinalIgnoreCase);

    public bool IsAsn => DatabaseType.Contains("ASN", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens a file; throws <see cref="GeoDatabaseException"/> saying what is wrong with it.</summary>
    public static GeoDatabase Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new GeoDatabaseException($"no file {System.IO.Path.GetFullPath(path)}");
        }

        try
        {
            return new GeoDatabase(path, new DatabaseReader(path, FileAccessMode.MemoryMapped), new Reader(path, FileAccessMode.MemoryMapped));
        }
        catch (Exception e) when (e is InvalidDatabaseException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new GeoDatabaseException($"{path} is not a MaxMind database (.mmdb): {e.Message}");
        }
    }

    /// <summary>The id of the country of <paramref name="address"/> (<see cref="CountryCodes.Unknown"/> when none).</summary>
    public int CountryId(IPAddress address)
    {
        try
        {
            var record = _fast.Find<CountryRecord>(address);
            return CountryCodes.IdOf(record?.Country?.IsoCode ?? record?.RegisteredCountry?.IsoCode);
        }
        catch (Exception e) when (e is InvalidDatabaseException or DeserializationException or ArgumentException)
        {
            // An IPv6 client against an IPv4-only database, or a damaged record: no country, not a crash.
            return CountryCodes.Unknown;
        }
    }

    /// <summary>Everything this database knows of <paramref name="address"/>.</summary>
    public GeoLocation Locate(IPAddress address)
    {
        try
        {
            if (IsAsn)
            {
                return _full.TryAsn(address, out var asn) && asn is not null
                    ? Empty with { Asn = asn.AutonomousSystemNumber, AsnOrganization = asn.AutonomousSystemOrganization, AsnNetwork = asn.Network?.ToString() }
                    : Empty;
            }

            AbstractCountryResponse? response = null;
            if (HasCities && _full.TryCity(address, out var city))
            {
                response = city;
            }
            else if (!HasCities && _full.TryCountry(address, out var country))
            {
                response = country;
            }

            if (response is null)
            {
                return Empty;
            }

            var c = response as CityResponse;
            return Empty with
            {
                Continent = response.Continent.Name,
                CountryCode = response.Country.IsoCode,
                CountryName = response.Country.Name,
                RegisteredCountryCode = response.RegisteredCountry.IsoCode,
                City = c?.City.Name,
                SubdivisionCode = c?.MostSpecificSubdivision.IsoCode,
                SubdivisionName = c?.MostSpecificSubdivision.Name,
                Network = response.Traits.Network?.ToString(),
            };
        }
        catch (Exception e) when (e is InvalidDatabaseException or DeserializationException or ArgumentException)
        {
            return Empty;
        }
    }

    private static readonly GeoLocation Empty = new(null, null, null, null, null, null, null, null, null, null);

    /// <summary>The two country codes of a record; every other field is skipped by the decoder.</summary>
    internal sealed class CountryRecord
    {
        [Constructor]
        public CountryRecord([MapKey("country")] IsoCodeOnly? country, [MapKey("registered_country")] IsoCodeOnly? registeredCountry)
        {
            Country = country;
            RegisteredCountry = registeredCountry;
        }

        public IsoCodeOnly? Country { get; }

        public IsoCodeOnly? RegisteredCountry { get; }
    }

    /// <summary>A country map reduced to its <c>iso_code</c>.</summary>
    internal sealed class IsoCodeOnly
    {
        [Constructor]
        public IsoCodeOnly([MapKey("iso_code")] string? isoCode) => IsoCode = isoCode;

        public string? IsoCode { get; }
    }
}

/// <summary>A GeoIP database file that cannot be used; the message says why.</summary>
public sealed class GeoDatabaseException(string message) : Exception(message);
