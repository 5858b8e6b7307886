using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary><c>portico geo IP...</c> on database files, and through a running Portico.</summary>
public class GeoVerbTests
{
    private static string TestData(string file) => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../testdata/geoip", file));

    [Fact]
    public async Task Geo_prints_country_city_and_asn_from_the_files_given()
    {
        var (code, output) = await PorticoProcess.RunAsync(["geo", "81.2.69.142", "1.128.0.1",
            "-d", TestData("GeoIP2-City-Test.mmdb"), "-d", TestData("GeoLite2-ASN-Test.mmdb")]);
        Assert.True(code == 0, output);
        Assert.Contains("81.2.69.142\n  Country: GB (United Kingdom), registered in US\n  City: London (England, ENG)\n  Network: 81.2.69.142/31\n", output);
        Assert.Contains("1.128.0.1\n  Country: not in GeoIP2-City-Test.mmdb\n  ASN: AS1221 Telstra Pty Ltd (network 1.128.0.0/11)\n", output);
    }

    [Fact]
    public async Task Geo_asks_the_running_portico_for_its_databases()
    {
        await using var host = await PorticoHost.StartAsync($"set ns geoip -database {TestData("GeoIP2-City-Test.mmdb")}");
        var (code, output) = await PorticoProcess.RunAsync(["geo", "2001:218::1", "--admin-socket", host.AdminSocket]);
        Assert.True(code == 0, output);
        Assert.Contains("2001:218::1\n  Country: JP (Japan)\n", output);

        var (bad, shown) = await PorticoProcess.RunAsync(["geo", "10.1", "--admin-socket", host.AdminSocket]);
        Assert.Equal(2, bad);
        Assert.Contains("'10.1' is not an IPv4 or IPv6 address", shown);
    }
}
