using Microsoft.Extensions.Time.Testing;
using Portico.Validation;

namespace Portico.Core.Tests.Validation;

public sealed class ExpiryTests
{
    private static readonly ExpiryRules Rules = ExpiryRules.Parse("text/css=1y, application/javascript=1y,image/*=30d,image/svg+xml=1h");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_matching_type_gets_max_age_and_expires_from_the_clock()
    {
        var change = Expiry.Decide(Rules, 200, null, "text/css; charset=utf-8", _time.GetUtcNow());
        Assert.Equal(new ExpiryChange("max-age=31536000", "Sat, 04 Dec 2027 12:00:00 GMT"), change);
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal("Sun, 05 Dec 2027 12:00:00 GMT", Expiry.Decide(Rules, 200, null, "text/css", _time.GetUtcNow())!.Value.Expires);
    }

    [Theory]
    [InlineData("image/png", 30 * 86400)]
    [InlineData("IMAGE/PNG", 30 * 86400)]
    [InlineData("image/svg+xml", 3600)]
    [InlineData("Application/JavaScript", 365 * 86400)]
    public void An_exact_type_wins_over_its_family(string type, long seconds) =>
        Assert.Equal($"max-age={seconds}", Expiry.Decide(Rules, 200, null, type, _time.GetUtcNow())!.Value.CacheControl);

    [Theory]
    [InlineData("text/html")]
    [InlineData(null)]
    public void Other_types_get_nothing(string? type) => Assert.Null(Expiry.Decide(Rules, 200, null, type, _time.GetUtcNow()));

    [Fact]
    public void A_default_covers_every_other_type()
    {
        var rules = ExpiryRules.Parse("text/css=1y,*/*=1h");
        Assert.Equal("max-age=3600", Expiry.Decide(rules, 200, null, "text/html", _time.GetUtcNow())!.Value.CacheControl);
        Assert.Equal("max-age=3600", Expiry.Decide(rules, 304, null, null, _time.GetUtcNow())!.Value.CacheControl);
    }

    [Theory]
    [InlineData("public", "public, max-age=31536000")]
    [InlineData("public, must-revalidate,", "public, must-revalidate, max-age=31536000")]
    [InlineData("no-cache", "no-cache, max-age=31536000")]
    public void Max_age_merges_into_the_members_cache_control(string member, string client) =>
        Assert.Equal(client, Expiry.Decide(Rules, 200, member, "text/css", _time.GetUtcNow())!.Value.CacheControl);

    [Theory]
    [InlineData("no-store")]
    [InlineData("private")]
    [InlineData("private=\"Set-Cookie\"")]
    [InlineData("public, max-age=60")]
    [InlineData("Max-Age=0")]
    public void The_members_word_wins(string member) => Assert.Null(Expiry.Decide(Rules, 200, member, "text/css", _time.GetUtcNow()));

    [Theory]
    [InlineData(200, true)]
    [InlineData(203, true)]
    [InlineData(206, true)]
    [InlineData(301, true)]
    [InlineData(304, true)]
    [InlineData(302, false)]
    [InlineData(404, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void Only_successes_and_permanent_answers_get_expiry(int status, bool expected) =>
        Assert.Equal(expected, Expiry.Decide(Rules, status, null, "text/css", _time.GetUtcNow()) is not null);

    [Theory]
    [InlineData("", "no entry")]
    [InlineData("text/css", "entry 'text/css': expected type=lifetime")]
    [InlineData("text/css=1x", "entry 'text/css=1x': '1x' is not a lifetime")]
    [InlineData("text/css=", "is not a lifetime")]
    [InlineData("css=1d", "'css' is not a media type")]
    [InlineData("*/css=1d", "is not a media type")]
    [InlineData("text/css=1d,TEXT/CSS=2d", "'TEXT/CSS' is listed twice")]
    [InlineData("text/css=100y", "is more than 2147483647 seconds")]
    public void Bad_rules_are_refused_naming_the_entry(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => ExpiryRules.Parse(text)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("text/css=90", 90)]
    [InlineData("text/css=5m", 300)]
    [InlineData("text/css=2h", 7200)]
    [InlineData("text/css=1w", 604800)]
    public void Lifetimes_take_units(string text, long seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), ExpiryRules.Parse(text).For("text/css"));
}
