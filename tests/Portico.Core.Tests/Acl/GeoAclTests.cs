using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Portico.Acl;
using Portico.Testing;

namespace Portico.Core.Tests.Acl;

/// <summary>
/// <c>-srcCountry</c> rules. No test client can come from London, so the decision is checked with the
/// client's address as input (MaxMind's test databases, known answers), and the whole path with loopback
/// addresses mapped to countries in a database written for the test.
/// </summary>
public class GeoAclTests
{
    private static string TestData(string file) => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../testdata/geoip", file));

    [Fact]
    public async Task The_decision_follows_the_country_the_database_gives_the_client_address()
    {
        await using var backend = TestTcpServer.Start("b");
        await using var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 TCP {backend.Port}
            add lb vserver v TCP 127.0.0.1 {Ports.Free()}
            bind lb vserver v s1
            set ns geoip -database {TestData("GeoIP2-City-Test.mmdb")}
            add ns acl gb DENY -srcCountry GB,SE
            add ns acl not-jp DENY -srcCountry != JP -destPort 22 -protocol TCP
            add ns acl6 gb6 DENY -srcCountry = GB
            apply ns acls
            apply ns acls6
            """);
        var policy = host.Services.GetRequiredService<AclAdmissionPolicy>();
        var vserver = host.Engine.Runtime.Vservers["v"];
        string? Decide(string client, int port = 443) =>
            policy.Deny(new IPEndPoint(IPAddress.Parse(client), 40000), new IPEndPoint(IPAddress.Parse("192.0.2.10"), port), vserver, ProtocolType.Tcp);

        Assert.Equal("ACL gb", Decide("81.2.69.142"));       // London, GB
        Assert.Equal("ACL gb", Decide("89.160.20.112"));     // Linköping, SE
        Assert.Null(Decide("216.160.83.56"));                // Milton, US
        Assert.Null(Decide("10.0.0.1"));                     // in no database: no country
        Assert.Equal("ACL not-jp", Decide("216.160.83.56", 22));
        Assert.Equal("ACL not-jp", Decide("10.0.0.1", 22));  // no country is not JP
        Assert.Equal("ACL6 gb6", Decide("2a02:d3c0::1"));
        Assert.Null(Decide("2001:218::1"));                  // JP

        var hits = host.Engine.Store.Current.ExtendedAcls.V4.Find("gb", DateTime.UtcNow.Ticks)!.Counters;
        Assert.Equal(2, Interlocked.Read(ref hits.Hits));
    }

    [Fact]
    public async Task A_loopback_client_mapped_to_a_country_is_refused_end_to_end()
    {
        var db = Path.Combine(Directory.CreateTempSubdirectory("portico-geo-").FullName, "loopback.mmdb");
        MmdbWriter.WriteCountries(db, [("127.0.0.2/32", "GB"), ("127.0.0.3/32", "FR"), ("127.0.1.0/24", "KR")]);
        await using var backend = TestTcpServer.Start("b");
        await using var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 TCP {backend.Port}
            add lb vserver v TCP 127.0.0.1 {Ports.Free()}
            bind lb vserver v s1
            set ns geoip -database {db}
            """);
        var vip = host.EndPointOf("v");
        using var london = await AclClient.ConnectAsync(vip, IPAddress.Parse("127.0.0.2"));

        await host.MustApplyAsync("add ns acl uk DENY -srcCountry GB -logstate ENABLED\napply ns acls");
        Assert.True(await AclClient.WasCutAsync(london, TimeSpan.FromSeconds(5)));
        Assert.True(await AclClient.IsRefusedAsync(vip, IPAddress.Parse("127.0.0.2")));
        Assert.False(await AclClient.IsRefusedAsync(vip, IPAddress.Parse("127.0.0.3")));
        Assert.False(await AclClient.IsRefusedAsync(vip));

        await host.MustApplyAsync("set ns acl uk -srcCountry != KR\napply ns acls");
        Assert.False(await AclClient.IsRefusedAsync(vip, IPAddress.Parse("127.0.1.9")));
        Assert.True(await AclClient.IsRefusedAsync(vip, IPAddress.Parse("127.0.0.3")));
        Assert.True(await AclClient.IsRefusedAsync(vip));

        var shown = (await host.MustApplyAsync("show ns geoip 127.0.0.2")).Output[0];
        Assert.Contains("Country: GB", shown);
    }
}
