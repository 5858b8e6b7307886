using Microsoft.Extensions.Time.Testing;
using Portico.Caching;
using Portico.Validation;

namespace Portico.Core.Tests.Caching;

/// <summary>RFC 9111 freshness and age as the cache computes them, on fake time.</summary>
public sealed class FreshnessTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static CacheGroupSettings Group(CacheContentGroup? g = null) => new(g ?? new CacheContentGroup("DEFAULT"), CacheParameters.Default);

    private static ResponseFacts Facts(string? cc = null, string? expires = null, string? date = null, string? lastModified = null, string? age = null) =>
        new(200, cc, expires, date, lastModified, age, null);

    [Fact]
    public void S_maxage_wins_over_max_age_which_wins_over_expires()
    {
        var date = HttpDate.Format(Now);
        var inAnHour = HttpDate.Format(Now.AddHours(1));
        Assert.Equal(30_000, Freshness.LifetimeMs(Facts("max-age=60, s-maxage=30", inAnHour, date), Group(), Now));
        Assert.Equal(60_000, Freshness.LifetimeMs(Facts("public, max-age=60", inAnHour, date), Group(), Now));
        Assert.Equal(3_600_000, Freshness.LifetimeMs(Facts(null, inAnHour, date), Group(), Now));
        Assert.Equal(0, Freshness.LifetimeMs(Facts(null, "0", date), Group(), Now));
        Assert.Equal(0, Freshness.LifetimeMs(Facts("no-cache, max-age=60"), Group(), Now));
        Assert.Null(Freshness.LifetimeMs(Facts(), Group(), Now));
    }

    [Fact]
    public void The_groups_relExpiry_overrides_the_origin_and_the_heuristic_takes_a_share_of_the_last_modified_age()
    {
        Assert.Equal(10_250, Freshness.LifetimeMs(Facts("max-age=60"), Group(new CacheContentGroup("g") { RelExpiry = 10, RelExpiryMilliSec = 250 }), Now));
        var heuristic = Group(new CacheContentGroup("g") { HeurExpiryParam = 10 });
        var lm = HttpDate.Format(Now.AddDays(-10));
        Assert.Equal((long)TimeSpan.FromDays(1).TotalMilliseconds, Freshness.LifetimeMs(Facts(lastModified: lm, date: HttpDate.Format(Now)), heuristic, Now));
        Assert.Null(Freshness.LifetimeMs(Facts(lastModified: lm), Group(), Now));
    }

    [Fact]
    public void Private_and_no_store_are_never_stored()
    {
        Assert.Equal("Cache-Control: private", Freshness.Forbids(Facts("private, max-age=60")));
        Assert.Equal("Cache-Control: no-store", Freshness.Forbids(Facts("No-Store")));
        Assert.Null(Freshness.Forbids(Facts("public, max-age=60")));
    }

    [Fact]
    public void An_entry_ages_from_its_arrival_plus_the_age_it_came_with_and_goes_stale_at_its_lifetime()
    {
        var time = new FakeTimeProvider(Now);
        var facts = Facts("max-age=60", date: HttpDate.Format(Now.AddSeconds(-5)), age: "10");
        Assert.Equal(10, Freshness.InitialAge(facts, time.GetUtcNow()));
        var entry = Entry(time.GetUtcNow().UtcTicks, Freshness.InitialAge(facts, time.GetUtcNow()), 60_000);

        Assert.Equal(10, entry.AgeSeconds(time.GetUtcNow().UtcTicks));
        time.Advance(TimeSpan.FromSeconds(49));
        Assert.True(entry.IsFresh(time.GetUtcNow().UtcTicks));
        Assert.Equal(59, entry.AgeSeconds(time.GetUtcNow().UtcTicks));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(entry.IsFresh(time.GetUtcNow().UtcTicks));
    }

    [Fact]
    public void A_request_asks_for_revalidation_with_no_cache_max_age_0_or_pragma()
    {
        Assert.True(Freshness.RequestWantsRevalidation("no-cache", null));
        Assert.True(Freshness.RequestWantsRevalidation("max-age=0", null));
        Assert.True(Freshness.RequestWantsRevalidation(null, "no-cache"));
        Assert.False(Freshness.RequestWantsRevalidation("max-age=600", "no-cache"));
        Assert.False(Freshness.RequestWantsRevalidation(null, null));
    }

    [Fact]
    public void If_none_match_compares_weakly_and_if_modified_since_compares_dates()
    {
        // The cache answers conditional requests with the shared validator functions (Validation/).
        static bool NotModified(string? inm, string? ims, string? etag, DateTimeOffset? lastModified) =>
            Conditional.Evaluate(inm, ims, EntityTag.TryParseField(etag, out var t) ? t : null, lastModified, Now) == ConditionalResult.NotModified;

        Assert.True(NotModified("\"a\", W/\"b\"", null, "\"b\"", null));
        Assert.True(NotModified("\"b\"", null, "W/\"b\"", null));
        Assert.True(NotModified("*", null, "\"x\"", null));
        Assert.False(NotModified("\"a\"", null, "\"b\"", null));
        Assert.False(NotModified("\"a\"", null, null, null));
        Assert.True(NotModified(null, HttpDate.Format(Now), null, Now.AddSeconds(-1)));
        Assert.False(NotModified(null, HttpDate.Format(Now), null, Now.AddSeconds(1)));
        Assert.Equal(Now, HttpDate.Parse("Friday, 04-Dec-26 12:00:00 GMT", Now));
        Assert.Equal(Now, HttpDate.Parse("Fri Dec  4 12:00:00 2026", Now));
        Assert.Null(HttpDate.Parse("yesterday", Now));
    }

    internal static CacheEntry Entry(long at, long initialAge, long lifetimeMs, string key = "DEFAULT\nh\n/", string group = "DEFAULT", int bodyBytes = 10) => new()
    {
        Group = group, Key = key, Host = "h", Url = "/", VaryValues = [], Head = "HTTP/1.1 200 OK\r\n"u8.ToArray(), NotModifiedHead = [],
        Body = new byte[bodyBytes], Status = 200, ResponseTime = at, InitialAge = initialAge, LifetimeMs = lifetimeMs,
    };
}
