using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>SOURCEIP and COOKIEINSERT persistence on the L7 path: stickiness, expiry, membership changes.</summary>
public class HttpPersistenceTests
{
    [Fact]
    public async Task Source_ip_persistence_sticks_until_the_client_is_idle_past_the_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var setup = await HttpSetup.StartAsync(vserverOptions: "-lbMethod ROUNDROBIN -persistenceType SOURCEIP -timeout 2",
            configure: s => s.AddSingleton<TimeProvider>(time));
        using var client = HttpSetup.Client(IPAddress.Parse("127.0.7.1"), pooled: false);
        var first = await HttpSetup.WhoAnswersAsync(client, setup.Url());
        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromSeconds(100));
            Assert.Equal(first, await HttpSetup.WhoAnswersAsync(client, setup.Url()));
        }

        var shown = (await setup.Host.ApplyAsync("show lb persistentSessions v")).Describe();
        Assert.Contains("127.0.7.1", shown);
        Assert.Contains(first == "b1" ? "s1" : "s2", shown);

        // Idle for longer than -timeout 2 (minutes): the entry expires and round robin takes its next turn.
        time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.NotEqual(first, await HttpSetup.WhoAnswersAsync(client, setup.Url()));
    }

    [Fact]
    public async Task Source_ip_persistence_gives_up_a_member_that_is_disabled()
    {
        await using var setup = await HttpSetup.StartAsync(vserverOptions: "-lbMethod ROUNDROBIN -persistenceType SOURCEIP");
        using var client = HttpSetup.Client(pooled: false);
        var first = await HttpSetup.WhoAnswersAsync(client, setup.Url());
        await setup.Host.MustApplyAsync($"disable service {(first == "b1" ? "s1" : "s2")}");
        var second = await HttpSetup.WhoAnswersAsync(client, setup.Url());
        Assert.NotEqual(first, second);
        await setup.Host.MustApplyAsync("enable service s1\nenable service s2");
        Assert.Equal(second, await HttpSetup.WhoAnswersAsync(client, setup.Url()));
    }

    [Fact]
    public async Task Cookie_insert_sets_an_opaque_session_cookie_and_the_client_sticks_while_members_change()
    {
        await using var setup = await HttpSetup.StartAsync(vserverOptions: "-lbMethod ROUNDROBIN -persistenceType COOKIEINSERT -timeout 0");
        using var client = HttpSetup.Client();
        using var first = await client.GetAsync(setup.Url());
        var setCookie = first.Headers.GetValues("Set-Cookie").Single();
        var backend = first.Headers.GetValues("X-Backend").Single();
        Assert.Matches("^NSC_v=[0-9a-f]{16}; Path=/; HttpOnly$", setCookie);
        Assert.DoesNotContain("127.0.0.1", setCookie);
        Assert.DoesNotContain(setup.Backends[backend == "b1" ? 0 : 1].Port.ToString(System.Globalization.CultureInfo.InvariantCulture), setCookie);
        var cookie = setCookie.Split(';')[0];

        // With the cookie every request goes to the same member; without it, round robin alternates.
        for (var i = 0; i < 6; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, setup.Url());
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request);
            Assert.Equal(backend, response.Headers.GetValues("X-Backend").Single());
            Assert.False(response.Headers.Contains("Set-Cookie"), "a session cookie the client already holds is not sent again");
        }

        // A new member, and the other member gone: the cookie still names the same member.
        await using var third = await TestHttpServer.StartAsync("b3");
        var other = backend == "b1" ? "s2" : "s1";
        await setup.Host.MustApplyAsync($"add service s3 127.0.0.1 HTTP {third.Port}\nbind lb vserver v s3\nrm service {other}");
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, setup.Url());
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request);
            Assert.Equal(backend, response.Headers.GetValues("X-Backend").Single());
        }
    }

    [Fact]
    public async Task Cookie_insert_with_a_timeout_sends_an_expiry_and_moves_clients_of_a_disabled_member()
    {
        await using var setup = await HttpSetup.StartAsync(vserverOptions: "-lbMethod ROUNDROBIN -persistenceType COOKIEINSERT -timeout 5");
        using var client = HttpSetup.Client();
        using var first = await client.GetAsync(setup.Url());
        var setCookie = first.Headers.GetValues("Set-Cookie").Single();
        var expires = DateTimeOffset.Parse(setCookie.Split("Expires=")[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(5));
        var backend = first.Headers.GetValues("X-Backend").Single();
        await setup.Host.MustApplyAsync($"disable service {(backend == "b1" ? "s1" : "s2")}");

        using var request = new HttpRequestMessage(HttpMethod.Get, setup.Url());
        request.Headers.Add("Cookie", setCookie.Split(';')[0]);
        using var moved = await client.SendAsync(request);
        Assert.NotEqual(backend, moved.Headers.GetValues("X-Backend").Single());
        Assert.NotEqual(setCookie.Split(';')[0], moved.Headers.GetValues("Set-Cookie").Single().Split(';')[0]);
    }
    [Theory]
    [InlineData("COOKIEINSERT")]
    [InlineData("SOURCEIP")]
    public async Task A_client_persisted_to_the_backup_vserver_returns_to_the_primary_on_failback(string persistence)
    {
        // NetScaler: persistence to a backup vserver's member lasts only while the backup serves; once the
        // primary can serve again, its clients are balanced over the primary's members (a sorry server keeps nobody).
        await using var spare = await TestHttpServer.StartAsync("spare");
        await using var setup = await HttpSetup.StartAsync(backends: 1, vserverOptions: $"-lbMethod ROUNDROBIN -persistenceType {persistence} -timeout 5",
            extra: $"add service sp 127.0.0.1 HTTP {spare.Port}\nadd lb vserver bk HTTP 0.0.0.0 0\nbind lb vserver bk sp\nset lb vserver v -backupVServer bk");
        using var client = HttpSetup.Client(pooled: false);
        await setup.Host.MustApplyAsync("disable service s1");
        using var onBackup = await client.GetAsync(setup.Url());
        Assert.Equal("spare", onBackup.Headers.GetValues("X-Backend").Single());
        var cookie = persistence == "COOKIEINSERT" ? onBackup.Headers.GetValues("Set-Cookie").Single().Split(';')[0] : null;

        await setup.Host.MustApplyAsync("enable service s1");
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, setup.Url());
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", cookie);
            }

            using var response = await client.SendAsync(request);
            Assert.Equal("b1", response.Headers.GetValues("X-Backend").Single());
        }
    }

    [Fact]
    public async Task A_client_persisted_to_the_backup_stays_there_while_disable_primary_on_down_holds_traffic_on_it()
    {
        await using var spare = await TestHttpServer.StartAsync("spare");
        await using var setup = await HttpSetup.StartAsync(backends: 1, vserverOptions: "-lbMethod ROUNDROBIN -persistenceType SOURCEIP -timeout 5 -disablePrimaryOnDown ENABLED",
            extra: $"add service sp 127.0.0.1 HTTP {spare.Port}\nadd lb vserver bk HTTP 0.0.0.0 0\nbind lb vserver bk sp\nset lb vserver v -backupVServer bk");
        using var client = HttpSetup.Client(pooled: false);
        await setup.Host.MustApplyAsync("disable service s1");
        Assert.Equal("spare", await HttpSetup.WhoAnswersAsync(client, setup.Url()));
        await setup.Host.MustApplyAsync("enable service s1");
        Assert.Equal("spare", await HttpSetup.WhoAnswersAsync(client, setup.Url()));

        // The operator gives traffic back: the persisted client goes with it.
        await setup.Host.MustApplyAsync("enable lb vserver v");
        Assert.Equal("b1", await HttpSetup.WhoAnswersAsync(client, setup.Url()));
    }
}
