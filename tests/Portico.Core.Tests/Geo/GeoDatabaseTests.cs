using System.Net;
using Portico.Core.Tests.Acl;
using Portico.Geo.Commands;
using Portico.Geo;

namespace Portico.Core.Tests.Geo;

/// <summary>MaxMind databases read through MaxMind.GeoIP2, checked against the known answers of MaxMind's test data.</summary>
public class GeoDatabaseTests
{
    private static string TestData(string file) => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../testdata/geoip", file));

    [Theory]
    [InlineData("81.2.69.142", "GB", "London", "81.2.69.142/31")]
    [InlineData("89.160.20.112", "SE", "Linköping", "89.160.20.112/28")]
    [InlineData("175.16.199.0", "CN", "Changchun", "175.16.199.0/24")]
    [InlineData("67.43.156.1", "BT", null, "67.43.156.0/24")]
    [InlineData("2001:218::1", "JP", null, "2001:218::/32")]
    public void Known_addresses_get_their_country_city_and_network(string ip, string country, string? city, string network)
    {
        var db = GeoDatabase.Open(TestData("GeoIP2-City-Test.mmdb"));
        var where = db.Locate(IPAddress.Parse(ip));
        Assert.Equal((country, city, network), (where.CountryCode, where.City, where.Network));
        Assert.Equal(CountryCodes.IdOf(country), db.CountryId(IPAddress.Parse(ip)));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("1.1.1.1")]
    [InlineData("::1")]
    public void Addresses_in_no_network_have_no_country(string ip)
    {
        var db = GeoDatabase.Open(TestData("GeoIP2-Country-Test.mmdb"));
        Assert.True(db.Locate(IPAddress.Parse(ip)).IsEmpty);
        Assert.Equal(CountryCodes.Unknown, db.CountryId(IPAddress.Parse(ip)));
    }

    [Fact]
    public void The_report_shows_country_city_and_asn_from_each_database()
    {
        var dbs = new[] { GeoDatabase.Open(TestData("GeoIP2-City-Test.mmdb")), GeoDatabase.Open(TestData("GeoLite2-ASN-Test.mmdb")) };
        var london = GeoReport.Describe(IPAddress.Parse("81.2.69.142"), dbs);
        Assert.Contains("Country: GB (United Kingdom), registered in US", london);
        Assert.Contains("City: London (England, ENG)", london);
        Assert.Contains("ASN: not in GeoLite2-ASN-Test.mmdb", london);
        Assert.Contains("ASN: AS1221 Telstra Pty Ltd", GeoReport.Describe(IPAddress.Parse("1.128.0.1"), dbs));
        Assert.Contains("no database knows this address", GeoReport.Describe(IPAddress.Parse("10.0.0.1"), dbs));
    }

    [Fact]
    public void Set_ns_geoip_checks_the_files_and_save_writes_them()
    {
        using var l = new AclLanguage();
        Assert.Contains("no file", l.Fails($"set ns geoip -database {TestData("nope.mmdb")}").Message);
        Assert.Contains("is not a MaxMind database", l.Fails($"set ns geoip -database {TestData("README.md")}").Message);
        Assert.Contains("-database takes a Country or City database", l.Fails($"set ns geoip -database {TestData("GeoLite2-ASN-Test.mmdb")}").Message);
        Assert.Contains("-asnDatabase takes an ASN database", l.Fails($"set ns geoip -asnDatabase {TestData("GeoIP2-City-Test.mmdb")}").Message);

        l.Apply($"set ns geoip -database {TestData("GeoIP2-Country-Test.mmdb")} -asnDatabase {TestData("GeoLite2-ASN-Test.mmdb")}");
        Assert.Contains("GeoIP2-Country, built", l.Apply("show ns geoip"));
        Assert.Contains($"set ns geoip -database {TestData("GeoIP2-Country-Test.mmdb")} -asnDatabase {TestData("GeoLite2-ASN-Test.mmdb")}\n",
            Portico.Configuration.ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch));

        l.Apply("add ns acl c DENY -srcCountry GB");
        Assert.Contains("ns acl 'c' uses -srcCountry", l.Fails("unset ns geoip -database").Message);
        l.Apply("rm ns acl c\nunset ns geoip -database -asnDatabase");
        Assert.Contains("No GeoIP database is set", l.Apply("show ns geoip"));
    }
}
