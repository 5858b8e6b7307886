namespace Portico.Geo;

/// <summary>
/// The GeoIP databases in use (<c>set ns geoip -database FILE [-asnDatabase FILE]</c>, a Portico
/// extension): a MaxMind City or Country database for countries (ACL rules, logs, <c>portico geo</c>)
/// and optionally an ASN database for <c>portico geo</c>.
/// </summary>
/// <param name="Database">A GeoIP2/GeoLite2 City or Country database (<c>.mmdb</c>); null when none is set.</param>
/// <param name="AsnDatabase">A GeoLite2/GeoIP2 ASN database; null when none is set.</param>
public sealed record GeoIpSettings(string? Database, string? AsnDatabase)
{
    public static readonly GeoIpSettings None = new(null, null);
}
