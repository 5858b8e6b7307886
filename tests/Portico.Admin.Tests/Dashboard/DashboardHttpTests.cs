using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portico.Admin.Dashboard;
using Portico.Audit;
using Portico.Testing;

namespace Portico.Admin.Tests.Dashboard;

/// <summary>The dashboard over HTTP: login redirect, security headers, its JSON, the batch editor's API, and roles.</summary>
public sealed class DashboardHttpTests
{
    /// <summary>Two HTTP members probed every 300 ms behind one vserver whose comment holds markup, and an extended ACL.</summary>
    internal static string Farm(int port1, int port2, int vip) => $"""
        add lb monitor hm HTTP -httpRequest "GET /" -respCode 200 -interval 300 MSEC -resptimeout 250 MSEC -retries 2 -downTime 100 MSEC
        add service s1 127.0.0.1 HTTP {port1}
        add service s2 127.0.0.1 HTTP {port2}
        bind service s1 -monitorName hm
        bind service s2 -monitorName hm
        add lb vserver web HTTP 127.0.0.1 {vip} -lbMethod ROUNDROBIN -comment "<img src=x onerror=alert(1)>"
        bind lb vserver web s1
        bind lb vserver web s2
        add ns acl a1 DENY -srcIP 192.0.2.1 -priority 10
        apply ns acls
        """;

    [Fact]
    public async Task Without_a_session_pages_redirect_to_the_login_and_the_api_answers_401()
    {
        await using var f = await DashboardFixture.StartAsync("");
        foreach (var path in new[] { "/gui/", "/gui/index.html", "/gui/app.js" })
        {
            using var r = await f.SendAsync(HttpMethod.Get, path, token: null);
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            Assert.Equal("/gui/login.html", r.Headers.Location?.ToString());
        }

        using (var r = await f.SendAsync(HttpMethod.Get, "/gui", token: null))
        {
            Assert.Equal("/gui/", r.Headers.Location?.ToString());
        }

        using (var login = await f.SendAsync(HttpMethod.Get, "/gui/login.html", token: null))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Equal("text/html; charset=utf-8", login.Content.Headers.ContentType?.ToString());
            Assert.Contains("<form id=\"login\"", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (status, body) = await f.JsonAsync(HttpMethod.Get, "/gui/api/state", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("log in again", body["error"]!.GetValue<string>(), StringComparison.Ordinal);

        // A made-up token is no session either.
        (status, _) = await f.JsonAsync(HttpMethod.Get, "/gui/api/state", token: new string('a', 64));
        Assert.Equal(HttpStatusCode.Unauthorized, status);

        var (token, _) = await f.LoginAsync();
        using var page = await f.SendAsync(HttpMethod.Get, "/gui/", token);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script src=\"/gui/app.js\" defer></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_answer_carries_the_strict_content_security_policy_and_no_page_has_inline_script()
    {
        await using var f = await DashboardFixture.StartAsync("");
        var (token, _) = await f.LoginAsync();
        foreach (var (path, withToken) in new[] { ("/gui/", true), ("/gui/login.html", false), ("/gui/app.js", true), ("/gui/style.css", false),
            ("/gui/api/state", true), ("/gui/api/state", false), ("/gui/nothing.html", true), ("/gui/a%2fb", true) })
        {
            using var r = await f.SendAsync(HttpMethod.Get, path, withToken ? token : null);
            Assert.True(r.Headers.TryGetValues("Content-Security-Policy", out var csp), path);
            Assert.Equal(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                Assert.Single(csp));
            Assert.Equal("nosniff", Assert.Single(r.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(r.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("no-store", r.Headers.CacheControl?.ToString());
        }

        // The policy forbids inline script and style, so the pages must not need them.
        var assets = new DashboardAssets();
        Assert.Equal(["app.js", "index.html", "login.html", "login.js", "style.css"], assets.Names.Order(StringComparer.Ordinal));
        foreach (var page in new[] { "index.html", "login.html" })
        {
            Assert.True(assets.TryGet(page, out var bytes, out _));
            var html = System.Text.Encoding.UTF8.GetString(bytes);
            Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", html);
            Assert.DoesNotMatch(@"\son[a-z]+\s*=|style\s*=|<style", html);
        }
    }

    [Fact]
    public async Task The_state_shows_vservers_members_with_their_failure_reason_events_acl_hits_and_counters()
    {
        await using var b1 = await TestHttpServer.StartAsync("b1");
        var b2 = await TestHttpServer.StartAsync("b2");
        var vip = Ports.Free();
        await using var f = await DashboardFixture.StartAsync(Farm(b1.Port, b2.Port, vip));
        var runtime = () => f.Host.Engine.Runtime;
        Assert.True(await Eventually.TrueAsync(() => runtime().Services["s1"].StateWord == "UP" && runtime().Services["s2"].StateWord == "UP", Eventually.Timeout));
        using (var client = new HttpClient())
        {
            await client.GetStringAsync($"http://127.0.0.1:{vip}/");
            await client.GetStringAsync($"http://127.0.0.1:{vip}/");
        }

        var (token, csrf) = await f.LoginAsync();
        var (status, state) = await f.JsonAsync(HttpMethod.Get, "/gui/api/state", token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("admin", state["user"]!.GetValue<string>());
        Assert.Equal("superuser", state["policy"]!.GetValue<string>());
        Assert.True(state["canEdit"]!.GetValue<bool>());
        Assert.Equal(csrf, state["csrfToken"]!.GetValue<string>());
        var web = Assert.Single(state["vservers"]!.AsArray())!;
        Assert.Equal("web", web["name"]!.GetValue<string>());
        Assert.Equal("UP", web["state"]!.GetValue<string>());
        Assert.Equal($"127.0.0.1:{vip}", web["endpoint"]!.GetValue<string>());
        Assert.Equal("<img src=x onerror=alert(1)>", web["comment"]!.GetValue<string>());
        Assert.Equal(["s1", "s2"], web["members"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()));
        Assert.Equal(2, state["counters"]!["portico.vserver.requests"]!["web"]!.GetValue<long>());
        var acl = Assert.Single(state["acls"]!.AsArray())!;
        Assert.Equal("a1", acl["name"]!.GetValue<string>());
        Assert.Equal(0, acl["hits"]!.GetValue<long>());

        // The backend behind s2 goes away: the member is DOWN with the monitor's reason, and an event says so.
        await b2.DisposeAsync();
        Assert.True(await Eventually.TrueAsync(() => runtime().Services["s2"].StateWord == "DOWN", Eventually.Timeout), "s2 never went DOWN");
        (_, state) = await f.JsonAsync(HttpMethod.Get, "/gui/api/state", token);
        var s2 = state["vservers"]![0]!["members"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "s2")!;
        Assert.Equal("DOWN", s2["state"]!.GetValue<string>());
        Assert.StartsWith("hm: L4CON", s2["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(state["events"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "SERVICE_DOWN" && e["entity"]!.GetValue<string>() == "s2");
    }

    [Fact]
    public async Task A_batch_needs_the_csrf_header_applies_all_or_nothing_and_names_each_error_s_line()
    {
        await using var f = await DashboardFixture.StartAsync("add server web1 127.0.0.1");
        var (token, csrf) = await f.LoginAsync();
        const string Good = "add server web2 127.0.0.2\nadd service s2 web2 HTTP 80";

        // A cross-site form can send the cookie's requests but not this header: without it nothing runs.
        var (status, body) = await f.JsonAsync(HttpMethod.Post, "/gui/api/batch", token, Good);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("X-Portico-CSRF", body["error"]!.GetValue<string>(), StringComparison.Ordinal);
        (status, _) = await f.JsonAsync(HttpMethod.Post, "/gui/api/batch", token, Good, csrf: "0" + csrf[1..]);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.DoesNotContain(f.Host.Engine.Store.Current.Servers, s => s.Name == "web2");

        // Two errors, at lines 2 and 4: the valid lines around them do not apply either.
        (status, body) = await f.JsonAsync(HttpMethod.Post, "/gui/api/batch", token,
            "add server web3 127.0.0.3\nadd service s3 web3 HTTP notaport\n# a comment\nadd lb vserver v3 HTTP 127.0.0.1 80 -lbMethd ROUNDROBIN", csrf);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(body["applied"]!.GetValue<bool>());
        var errors = body["errors"]!.AsArray();
        Assert.Equal([2, 4], errors.Select(e => e!["line"]!.GetValue<int>()));
        Assert.Equal("notaport", errors[0]!["word"]!.GetValue<string>());
        Assert.StartsWith("line 4, column ", errors[1]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("-lbMethd", errors[1]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(f.Host.Engine.Store.Current.Servers, s => s.Name == "web3");

        (status, body) = await f.JsonAsync(HttpMethod.Post, "/gui/api/batch", token, Good + "\nshow server web2", csrf);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body["applied"]!.GetValue<bool>());
        Assert.Contains("127.0.0.2", body["output"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(f.Host.Engine.Store.Current.Servers, s => s.Name == "web2");

        // Both batches that ran are in the audit trail, with who sent them and from where; the refused one with its error.
        var audit = f.Host.Services.GetRequiredService<AuditLog>().Entries().Where(e => e.From.StartsWith("dashboard ", StringComparison.Ordinal)).ToList();
        Assert.Contains(audit, e => e.User == "admin" && e.From == "dashboard 127.0.0.1" && e.Command.Contains("add server web2", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Command.Contains("add server web3", StringComparison.Ordinal) && e.Result.Contains("notaport", StringComparison.Ordinal));

        (status, body) = await f.JsonAsync(HttpMethod.Get, "/gui/api/config", token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("add server web2 127.0.0.2", body["config"]!.GetValue<string>(), StringComparison.Ordinal);

        // Only POST writes; a GET of the batch endpoint is refused.
        (status, _) = await f.JsonAsync(HttpMethod.Get, "/gui/api/batch", token);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
    }

    [Fact]
    public async Task A_read_only_user_sees_the_farm_but_may_not_edit_view_the_config_or_download_captures()
    {
        await using var f = await DashboardFixture.StartAsync("add server web1 127.0.0.1\nadd lb vserver v1 HTTP 127.0.0.1 0");
        var (token, csrf) = await f.LoginAsync("viewer", DashboardFixture.ViewerPassword);
        var (status, state) = await f.JsonAsync(HttpMethod.Get, "/gui/api/state", token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("read-only", state["policy"]!.GetValue<string>());
        Assert.False(state["canEdit"]!.GetValue<bool>());
        Assert.False(state["canViewConfig"]!.GetValue<bool>());
        Assert.False(state["canDownload"]!.GetValue<bool>());
        Assert.Equal("v1", state["vservers"]![0]!["name"]!.GetValue<string>());

        JsonObject body;
        (status, body) = await f.JsonAsync(HttpMethod.Post, "/gui/api/batch", token, "show server\nrm server web1", csrf);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal(2, error["line"]!.GetValue<int>());
        Assert.Equal("line 2: not authorized to execute this command [rm server web1] (policy read-only)", error["text"]!.GetValue<string>());
        Assert.Contains(f.Host.Engine.Store.Current.Servers, s => s.Name == "web1");

        (status, _) = await f.JsonAsync(HttpMethod.Get, "/gui/api/config", token);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, _) = await f.JsonAsync(HttpMethod.Get, "/gui/api/capture/t1/t1_001.pcap", token);
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task An_operator_may_disable_a_service_but_not_remove_a_server_and_an_oversized_batch_is_refused_unread()
    {
        await using var f = await DashboardFixture.StartAsync("add service s1 127.0.0.1 HTTP 8081");
        await f.Host.MustApplyAsync("add system user op 'operator password 1'\nbind system user op -policyName operator 0");
        var (token, csrf) = await f.LoginAsync("op", "operator password 1");
        var (_, state) = await f.JsonAsync(HttpMethod.Get, "/gui/api/state", token);
        Assert.Equal("operator", state["policy"]!.GetValue<string>());
        Assert.True(state["canEdit"]!.GetValue<bool>());
        Assert.False(state["canViewConfig"]!.GetValue<bool>());

        var (status, body) = await f.JsonAsync(HttpMethod.Post, "/gui/api/batch", token, "disable service s1", csrf);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("OUT OF SERVICE", f.Host.Engine.Runtime.Services["s1"].StateWord);

        (status, body) = await f.JsonAsync(HttpMethod.Post, "/gui/api/batch", token, "enable service s1\nrm service s1", csrf);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(2, body["errors"]![0]!["line"]!.GetValue<int>());
        Assert.Equal("OUT OF SERVICE", f.Host.Engine.Runtime.Services["s1"].StateWord);

        (status, body) = await f.JsonAsync(HttpMethod.Post, "/gui/api/batch", token, new string('#', DashboardBatch.MaxBytes + 1), csrf);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("larger than 1048576 bytes", body["errors"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
