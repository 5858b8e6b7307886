namespace Portico.Geo;

/// <summary>What the databases know of one address; every part may be missing.</summary>
public sealed record GeoLocation(
    string? CountryCode,
    string? CountryName,
    string? RegisteredCountryCode,
    string? City,
    string? SubdivisionCode,
    string? SubdivisionName,
    string? Network,
    long? Asn,
    string? AsnOrganization,
    string? AsnNetwork)
{
    /// <summary>The continent's English name (<c>Europe</c>), NetScaler's first location qualifier.</summary>
    public string? Continent { get; init; }

    /// <summary>True when no database had anything on the address.</summary>
    public bool IsEmpty => CountryCode is null && RegisteredCountryCode is null && City is null && Asn is null;
}
