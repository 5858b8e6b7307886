using System.Net;

namespace Portico.Admin.Tests.Nitro;

/// <summary>Login, sessions, per-request credentials, roles, the first user, and the failed-login limit.</summary>
public sealed class NitroAuthenticationTests
{
    [Fact]
    public async Task Until_a_first_user_exists_the_api_answers_only_that_it_is_off()
    {
        await using var f = await NitroFixture.StartAsync(withAdmin: false);
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/login", """{"login":{"username":"nsroot","password":"nsroot"}}""",
            HttpStatusCode.ServiceUnavailable, 1, "no system user yet");
        await f.Fails(HttpMethod.Get, "/nitro/v1/config/lbvserver", null, HttpStatusCode.ServiceUnavailable, 1, "portico cli -c \"add system user");

        await f.Host.MustApplyAsync("add system user first 'first password'\nbind system user first -policyName superuser 0");
        await f.LoginAsync("first", "first password");
        await f.Ok(HttpMethod.Get, "/nitro/v1/config/lbvserver");
    }

    [Fact]
    public async Task Nothing_but_login_answers_without_a_session_and_a_session_ends_at_logout_or_when_idle()
    {
        await using var f = await NitroFixture.StartAsync();
        await f.Fails(HttpMethod.Get, "/nitro/v1/config/lbvserver", null, HttpStatusCode.Unauthorized, 444, "Session expired or killed");
        await f.Fails(HttpMethod.Get, "/nitro/v1/stat/lbvserver", null, HttpStatusCode.Unauthorized, 444, "Please login again");
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/login", """{"login":{"username":"admin","password":"wrong password"}}""",
            HttpStatusCode.Unauthorized, 354, "Invalid username or password");

        await f.LoginAsync();
        await f.Ok(HttpMethod.Get, "/nitro/v1/config/lbvserver");

        // Idle past the session's timeout (NetScaler's default, 900 s): the token is dead.
        f.Time.Advance(TimeSpan.FromSeconds(899));
        await f.Ok(HttpMethod.Get, "/nitro/v1/config/lbvserver");
        f.Time.Advance(TimeSpan.FromSeconds(901));
        await f.Fails(HttpMethod.Get, "/nitro/v1/config/lbvserver", null, HttpStatusCode.Unauthorized, 444, "Session expired");

        await f.LoginAsync();
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/logout", """{"logout":{}}""", HttpStatusCode.Created);
        await f.Fails(HttpMethod.Get, "/nitro/v1/config/lbvserver", null, HttpStatusCode.Unauthorized, 444, "Session expired");
    }

    [Fact]
    public async Task The_go_sdk_s_set_cookie_request_header_and_per_request_credentials_are_accepted()
    {
        await using var f = await NitroFixture.StartAsync();
        await f.LoginAsync();
        var token = f.Token!;
        f.Token = null;

        var (status, _, _) = await f.SendAsync(HttpMethod.Get, "/nitro/v1/config/lbvserver", null,
            r => r.Headers.TryAddWithoutValidation("Set-Cookie", $"NITRO_AUTH_TOKEN={token}; path=/nitro/v1"));
        Assert.Equal(HttpStatusCode.OK, status);

        (status, _, _) = await f.SendAsync(HttpMethod.Get, "/nitro/v1/config/server/web1", null, r =>
        {
            r.Headers.Add("X-NITRO-USER", "admin");
            r.Headers.Add("X-NITRO-PASS", "admin password 1");
        });
        Assert.Equal(HttpStatusCode.OK, status);

        await f.Fails(HttpMethod.Get, "/nitro/v1/config/server", null, HttpStatusCode.Unauthorized, 354, "Invalid username or password", r =>
        {
            r.Headers.Add("X-NITRO-USER", "admin");
            r.Headers.Add("X-NITRO-PASS", "admin password 2");
        });
    }

    [Fact]
    public async Task Login_always_issues_a_new_token_so_a_planted_one_is_never_promoted()
    {
        await using var f = await NitroFixture.StartAsync();
        await f.LoginAsync();
        var first = f.Token!;

        // A client that arrives holding a token (planted, or its own) gets a different one; the one it held is dead.
        await f.LoginAsync();
        Assert.NotEqual(first, f.Token);
        Assert.Equal(64, f.Token!.Length);
        var second = f.Token;
        f.Token = first;
        await f.Fails(HttpMethod.Get, "/nitro/v1/config/lbvserver", null, HttpStatusCode.Unauthorized, 444, "Session expired");
        f.Token = "0000000000000000000000000000000000000000000000000000000000000000";
        await f.Fails(HttpMethod.Get, "/nitro/v1/config/lbvserver", null, HttpStatusCode.Unauthorized, 444, "Session expired");
        f.Token = second;
        await f.Ok(HttpMethod.Get, "/nitro/v1/config/lbvserver");
    }

    [Fact]
    public async Task Roles_follow_netscaler_s_built_in_command_policies_and_a_removed_user_s_session_ends()
    {
        await using var f = await NitroFixture.StartAsync();
        await f.Host.MustApplyAsync("add system user viewer 'viewer password'\nbind system user viewer -policyName read-only 0\nadd system user ops 'ops password 1'\nbind system user ops -policyName operator 0");

        await f.LoginAsync("viewer", "viewer password");
        await f.Ok(HttpMethod.Get, "/nitro/v1/config/lbvserver");
        await f.Ok(HttpMethod.Get, "/nitro/v1/stat/lbvserver");
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/server", """{"server":{"name":"x","ipaddress":"10.0.0.9"}}""",
            HttpStatusCode.Forbidden, 10, "Not authorized to execute this command [add server x 10.0.0.9]");
        await f.Fails(HttpMethod.Post, "/nitro/v1/config/service?action=disable", """{"service":{"name":"s1"}}""", HttpStatusCode.Forbidden, 10, "disable service s1");
        Assert.DoesNotContain("x", f.Host.Engine.Store.Current.ServersByName.Keys);

        await f.LoginAsync("ops", "ops password 1");
        await f.Ok(HttpMethod.Post, "/nitro/v1/config/service?action=disable", """{"service":{"name":"s1"}}""");
        await f.Fails(HttpMethod.Delete, "/nitro/v1/config/server/web1", null, HttpStatusCode.Forbidden, 10, "rm server web1");

        await f.Host.MustApplyAsync("rm system user ops");
        await f.Fails(HttpMethod.Get, "/nitro/v1/config/lbvserver", null, HttpStatusCode.Unauthorized, 444, "Session expired");
    }

    [Fact]
    public async Task Failed_logins_from_one_address_are_limited_even_with_the_right_password_then_allowed_again()
    {
        await using var f = await NitroFixture.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await f.Fails(HttpMethod.Post, "/nitro/v1/config/login", """{"login":{"username":"admin","password":"guess guess"}}""", HttpStatusCode.Unauthorized, 354, "Invalid");
        }

        await f.Fails(HttpMethod.Post, "/nitro/v1/config/login", """{"login":{"username":"admin","password":"admin password 1"}}""",
            HttpStatusCode.TooManyRequests, 354, "too many failed logins from this address, try again in 60 s");
        f.Time.Advance(TimeSpan.FromSeconds(61));
        await f.LoginAsync();
    }
}
