using Portico.Admin.Dashboard;

namespace Portico.Admin.Tests.Dashboard;

/// <summary>
/// Path traversal into the management GUI (CVE-2019-19781 was one): every spelling of <c>..</c>, encoded slashes,
/// double encoding, backslashes and NUL, sent byte for byte with a valid session, never reaches a file.
/// </summary>
public sealed class DashboardTraversalTests(DashboardTraversalTests.Site portico) : IClassFixture<DashboardTraversalTests.Site>
{
    public static TheoryData<string> Refused => new()
    {
        "/gui/../../../../etc/passwd",
        "/gui/..%2f..%2f..%2fetc%2fpasswd",
        "/gui/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/gui/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/gui/%252e%252e/%252e%252e/etc/passwd",
        "/gui/..%5c..%5cetc%5cpasswd",
        "/gui/..\\..\\etc\\passwd",
        "/gui/app.js%00",
        "/gui/app.js%00.html",
        "/gui/%00",
        "/gui/./index.html",
        "/gui//etc/passwd",
        "/gui/vpns/../../etc/passwd",
        "/gui/api/capture/..%2f..%2fetc/passwd",
        "/gui/api/capture/t1/..%2f..%2f..%2fetc%2fpasswd",
        "/gui/api/capture/t1/../../../../etc/passwd",
        "/gui/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_traversal_is_refused_and_shows_no_file(string target)
    {
        var (status, body) = await portico.Fixture.RawGetAsync(target, portico.Token);
        Assert.True(status is 400 or 404, $"{target}: {status}");
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Targets_that_stay_under_gui_are_refused_by_the_dashboard_itself_with_the_reason()
    {
        var (f, token) = (portico.Fixture, portico.Token);
        foreach (var (target, reason) in new[]
        {
            ("/gui/..%2fetc%2fpasswd", "percent-encoded characters are refused"),
            ("/gui/api/capture/t1/..%2f..%2fetc", "percent-encoded characters are refused"),
        })
        {
            var (status, body) = await f.RawGetAsync(target, token);
            Assert.Equal(400, status);
            Assert.Contains(reason, body, StringComparison.Ordinal);
        }

        // The same session reads the real page: the refusals above are the rule, not a broken listener.
        var (ok, page) = await f.RawGetAsync("/gui/index.html", token);
        Assert.Equal(200, ok);
        Assert.Contains("<title>Portico</title>", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/gui/", "")]
    [InlineData("/gui/app.js?v=1", "app.js")]
    [InlineData("/gui/api/capture/t1/t1_001_20261203-120000.pcap", "api/capture/t1/t1_001_20261203-120000.pcap")]
    [InlineData("/gui/a/../b", null)]
    [InlineData("/gui/a/./b", null)]
    [InlineData("/gui/a//b", null)]
    [InlineData("/gui/a%2fb", null)]
    [InlineData("/gui/a\\b", null)]
    [InlineData("/gui/a\0b", null)]
    [InlineData("/gui/a b", null)]
    [InlineData("/x/../gui/app.js", null)]
    [InlineData("/gui/\u2024\u2024/etc", null)]
    public void The_raw_target_rule(string raw, string? expected)
    {
        var path = DashboardPath.Read(raw, out var refusal);
        Assert.Equal(expected, path);
        Assert.Equal(expected is null, refusal is not null);
    }

    /// <summary>One Portico and one session for every target: the refusals do not depend on state.</summary>
    public sealed class Site : IAsyncLifetime
    {
        public DashboardFixture Fixture { get; private set; } = null!;

        public string Token { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Fixture = await DashboardFixture.StartAsync("");
            (Token, _) = await Fixture.LoginAsync();
        }

        public async Task DisposeAsync() => await Fixture.DisposeAsync();
    }
}
