using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portico.Caching.Commands;
using Portico.Testing;

namespace Portico.Core.Tests.Caching;

/// <summary>
/// The integrated cache on the HTTP/1.1 engine, in front of a real backend that counts what it is asked: hits
/// that never reach it, misses, expiry, revalidation, invalidation, variants, memory limits and flash cache.
/// </summary>
public sealed class CacheEngineTests : IAsyncLifetime
{
    private TestHttpServer _backend = null!;

    public async Task InitializeAsync() => _backend = await TestHttpServer.StartAsync("b1");

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private Task<PorticoHost> StartAsync(string extra = "") => PorticoHost.StartAsync($"""
        add service s1 127.0.0.1 HTTP {_backend.Port}
        add lb vserver web HTTP 127.0.0.1 {Ports.Free()}
        bind lb vserver web s1
        add cache policy everything -rule TRUE -action MAY_CACHE
        bind cache global everything -priority 100
        {extra}
        """);

    private static HttpClient Client() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None });

    /// <summary>A /c/ path whose response carries the given fields.</summary>
    private static string Object(PorticoHost host, string path, params string[] fields) =>
        $"http://{host.EndPointOf("web")}/c/{path}?" + string.Join('&', fields.Select(f => "h=" + Uri.EscapeDataString(f)));

    /// <summary>Every stored object is past its freshness (read from the store, no request made).</summary>
    private static bool Stale(PorticoHost host) =>
        host.Services.GetRequiredService<Portico.Caching.CacheRuntime>().Store.Entries.All(e => !e.IsFresh(DateTime.UtcNow.Ticks));

    private static async Task<CacheStat> Stat(PorticoHost host) => (CacheStat)(await host.MustApplyAsync("stat cache")).Results.Single();

    [Fact]
    public async Task A_fresh_object_answers_without_asking_the_member_and_says_its_age()
    {
        await using var host = await StartAsync();
        using var client = Client();
        var url = Object(host, "a", "Cache-Control:max-age=60");

        using var first = await client.GetAsync(url);
        using var second = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, _backend.Requests);
        Assert.NotNull(second.Headers.Age);
        Assert.NotNull(second.Headers.Date);
        Assert.NotNull(second.Headers.ETag); // -insertETag YES: Portico's own tag for an object that had none
        var stat = await Stat(host);
        Assert.Equal((1, 1, 1), (stat.Hits, stat.Misses, stat.Stored));

        var objects = (CacheObjectList)(await host.MustApplyAsync("show cache object")).Results.Single();
        var o = Assert.Single(objects.Objects);
        Assert.Equal(("/c/a?h=Cache-Control%3Amax-age%3D60", "DEFAULT", 1L, 200), (o.Url, o.Group, o.Hits, o.Status));
        Assert.Contains("Group: DEFAULT", objects.ToText());
        Assert.Contains("Hits: 1", stat.ToText());
    }

    [Theory]
    [InlineData("Cache-Control:private, max-age=60")]
    [InlineData("Cache-Control:no-store")]
    [InlineData("Set-Cookie:session=1")]
    [InlineData("X-Nothing:no freshness and no validator")]
    public async Task A_response_the_cache_must_not_keep_goes_to_the_member_every_time(string field)
    {
        await using var host = await StartAsync();
        using var client = Client();
        var url = Object(host, "p", field, "Expires:" + Portico.Validation.HttpDate.Format(DateTimeOffset.UtcNow.AddHours(1)));
        if (field.StartsWith("X-", StringComparison.Ordinal))
        {
            url = Object(host, "p", field);
        }

        (await client.GetAsync(url)).Dispose();
        (await client.GetAsync(url)).Dispose();

        Assert.Equal(2, _backend.Requests);
        Assert.Equal(0, (await Stat(host)).Stored);
    }

    [Fact]
    public async Task RemoveCookies_strips_set_cookie_and_stores_and_a_request_with_credentials_is_never_answered_from_the_cache()
    {
        await using var host = await StartAsync("set cache contentGroup DEFAULT -removeCookies YES");
        using var client = Client();
        var url = Object(host, "k", "Cache-Control:max-age=60", "Set-Cookie:session=1");

        using var first = await client.GetAsync(url);
        using var hit = await client.GetAsync(url);
        Assert.True(first.Headers.Contains("Set-Cookie"));
        Assert.False(hit.Headers.Contains("Set-Cookie"));
        Assert.Equal(1, _backend.Requests);

        using var withAuth = new HttpRequestMessage(HttpMethod.Get, url);
        withAuth.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "dTpw");
        (await client.SendAsync(withAuth)).Dispose();
        Assert.Equal(2, _backend.Requests);
    }

    [Fact]
    public async Task An_expired_object_is_fetched_again()
    {
        await using var host = await StartAsync();
        using var client = Client();
        // 3 s: the backend's Date is stamped once a second, so the object may arrive up to a second old already.
        var url = Object(host, "e", "Cache-Control:max-age=3");
        (await client.GetAsync(url)).Dispose();
        (await client.GetAsync(url)).Dispose();
        Assert.Equal(1, _backend.Requests);

        Assert.True(await Eventually.TrueAsync(() => Stale(host), Eventually.Timeout), "the object outlived its max-age");
        (await client.GetAsync(url)).Dispose();
        Assert.Equal(2, _backend.Requests);
    }

    [Fact]
    public async Task A_stale_object_with_an_etag_is_revalidated_and_the_members_304_refreshes_it()
    {
        await using var host = await StartAsync();
        using var client = Client();
        var url = Object(host, "r", "Cache-Control:max-age=1", "ETag:\"v1\"");
        using var first = await client.GetAsync(url);
        var body = await first.Content.ReadAsStringAsync();

        Assert.True(await Eventually.TrueAsync(() => Stale(host), Eventually.Timeout), "the object outlived its max-age of 1 s");
        using var again = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(body, await again.Content.ReadAsStringAsync());
        Assert.Equal(1, _backend.NotModified);

        Assert.Equal(2, _backend.Requests);
        var stat = await Stat(host);
        Assert.Equal((1L, 1L), (stat.Revalidations, stat.Refreshed));
        Assert.Equal(1, stat.Stored);

        // The client's own no-cache revalidates a fresh object too.
        var refreshed = _backend.NotModified;
        using var noCache = new HttpRequestMessage(HttpMethod.Get, url);
        noCache.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        (await client.SendAsync(noCache)).Dispose();
        Assert.Equal(refreshed + 1, _backend.NotModified);
    }

    [Fact]
    public async Task A_conditional_request_is_answered_304_from_the_cache()
    {
        await using var host = await StartAsync();
        using var client = Client();
        var url = Object(host, "cond", "Cache-Control:max-age=60", "ETag:\"abc\"");
        (await client.GetAsync(url)).Dispose();

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.TryAddWithoutValidation("If-None-Match", "W/\"abc\"");
        using var answer = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, answer.StatusCode);
        Assert.Equal("\"abc\"", answer.Headers.ETag!.ToString());
        Assert.Empty(await answer.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, _backend.Requests);
        Assert.Equal(1, (await Stat(host)).NotModifiedServed);
    }

    [Fact]
    public async Task Under_eTag_NORMALIZE_the_cache_keeps_and_answers_with_the_normalized_tag()
    {
        await using var host = await StartAsync("add ns httpProfile farm -eTag NORMALIZE\nset lb vserver web -httpProfileName farm");
        using var client = Client();
        var url = Object(host, "farm", "Cache-Control:max-age=60", "ETag:\"1e240-2a-5e2c3f1a2b3c0\"");
        using (var first = await client.GetAsync(url))
        {
            Assert.Equal("\"2a-5e2c3f1a2b3c0\"", first.Headers.ETag!.ToString());
        }

        // The client revalidates with the tag it was given, which the member never sent: the cache answers it.
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.TryAddWithoutValidation("If-None-Match", "\"2a-5e2c3f1a2b3c0\"");
        using var answer = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, answer.StatusCode);
        Assert.Equal("\"2a-5e2c3f1a2b3c0\"", answer.Headers.ETag!.ToString());
        Assert.Equal(1, _backend.Requests);
        Assert.Equal(1, (await Stat(host)).NotModifiedServed);
    }

    [Fact]
    public async Task With_CMP_on_the_compressed_variant_is_stored_and_answers_clients_that_offer_the_same_codings()
    {
        await using var host = await StartAsync("enable ns feature CMP");
        using var client = Client();
        var url = Object(host, "text", "Cache-Control:max-age=60", "Content-Type:text/plain") + "&size=20000";
        HttpRequestMessage Get(string? accept)
        {
            var m = new HttpRequestMessage(HttpMethod.Get, url);
            if (accept is not null)
            {
                m.Headers.TryAddWithoutValidation("Accept-Encoding", accept);
            }

            return m;
        }

        byte[] compressed;
        using (var first = await client.SendAsync(Get("gzip")))
        {
            Assert.Equal("gzip", Assert.Single(first.Content.Headers.ContentEncoding));
            compressed = await first.Content.ReadAsByteArrayAsync();
        }

        using (var hit = await client.SendAsync(Get("gzip")))
        {
            Assert.Equal("gzip", Assert.Single(hit.Content.Headers.ContentEncoding));
            Assert.Contains("Accept-Encoding", hit.Headers.Vary);
            Assert.Equal(compressed, await hit.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(1, _backend.Requests);
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.Equal(new string('a', 20000), await reader.ReadToEndAsync());

        // Another offer is another variant: fetched, and not answered with the gzip body.
        using (var identity = await client.SendAsync(Get(null)))
        {
            Assert.Empty(identity.Content.Headers.ContentEncoding);
            Assert.Equal(new string('a', 20000), await identity.Content.ReadAsStringAsync());
        }

        Assert.Equal(2, _backend.Requests);
        Assert.Equal(1, (await Stat(host)).Hits);
    }

    [Fact]
    public async Task An_INVAL_policy_and_the_flush_commands_remove_objects()
    {
        await using var host = await StartAsync("""
            add cache policy purge -rule "HTTP.REQ.METHOD.EQ(\"PURGE\")" -action INVAL -invalObjects DEFAULT
            bind cache global purge -priority 10 -type REQ_OVERRIDE
            """);
        using var client = Client();
        var url = Object(host, "i", "Cache-Control:max-age=60");
        (await client.GetAsync(url)).Dispose();
        (await client.GetAsync(url)).Dispose();
        Assert.Equal(1, _backend.Requests);

        (await client.SendAsync(new HttpRequestMessage(new HttpMethod("PURGE"), url))).Dispose();
        (await client.GetAsync(url)).Dispose();
        Assert.Equal(3, _backend.Requests);

        var locator = ((CacheObjectList)(await host.MustApplyAsync("show cache object")).Results.Single()).Objects.Single().Locator;
        await host.MustApplyAsync($"flush cache object -locator {locator}");
        (await client.GetAsync(url)).Dispose();
        Assert.Equal(4, _backend.Requests);

        await host.MustApplyAsync("flush cache contentGroup DEFAULT");
        (await client.GetAsync(url)).Dispose();
        Assert.Equal(5, _backend.Requests);
        Assert.Equal(0, (await Stat(host)).Objects - 1);
    }

    [Fact]
    public async Task Each_variant_the_response_varies_on_is_its_own_object()
    {
        await using var host = await StartAsync();
        using var client = Client();
        var url = Object(host, "v", "Cache-Control:max-age=60", "Vary:Accept-Encoding, X-Variant");

        async Task<string> Get(string? encoding, string? variant)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (encoding is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
            }

            if (variant is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Variant", variant);
            }

            using var response = await client.SendAsync(request);
            return await response.Content.ReadAsStringAsync();
        }

        var gzip = await Get("gzip", "a");
        var plain = await Get(null, "a");
        var other = await Get("gzip", "b");
        Assert.Equal(3, _backend.Requests);
        Assert.Equal(gzip, await Get("gzip", "a"));
        Assert.Equal(plain, await Get(null, "a"));
        Assert.Equal(other, await Get("gzip", "b"));
        Assert.Equal(3, _backend.Requests);
        Assert.Contains("gzip", gzip);
        Assert.Equal(3, (await Stat(host)).Objects);

        // Vary: * is never stored.
        var star = Object(host, "star", "Cache-Control:max-age=60", "Vary:*");
        (await client.GetAsync(star)).Dispose();
        (await client.GetAsync(star)).Dispose();
        Assert.Equal(5, _backend.Requests);
    }

    [Fact]
    public async Task A_group_past_its_memory_limit_evicts_the_least_recently_used_object()
    {
        await using var host = await StartAsync("set cache contentGroup DEFAULT -memLimit 1 -maxResSize 1024");
        using var client = Client();
        string Big(string name) => Object(host, name, "Cache-Control:max-age=60") + "&size=400000";
        (await client.GetAsync(Big("one"))).Dispose();
        (await client.GetAsync(Big("two"))).Dispose();
        (await client.GetAsync(Big("one"))).Dispose(); // one is now the most recently used
        Assert.Equal(2, _backend.Requests);

        (await client.GetAsync(Big("three"))).Dispose();
        var stat = await Stat(host);
        Assert.Equal(1, stat.Evicted);
        Assert.True(stat.MemoryUsedBytes <= 1024 * 1024, stat.ToText());
        var urls = ((CacheObjectList)(await host.MustApplyAsync("show cache object")).Results.Single()).Objects.Select(o => o.Url.Split('?')[0]).Order();
        Assert.Equal(["/c/one", "/c/three"], urls);

        (await client.GetAsync(Big("one"))).Dispose();
        Assert.Equal(3, _backend.Requests);
        using var body = await client.GetAsync(Big("one"));
        Assert.Equal(400000, (await body.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task A_response_larger_than_maxResSize_is_passed_through_and_a_chunked_one_is_stored()
    {
        await using var host = await StartAsync("set cache contentGroup DEFAULT -maxResSize 1");
        using var client = Client();
        var big = Object(host, "big", "Cache-Control:max-age=60") + "&size=5000";
        Assert.Equal(5000, (await client.GetByteArrayAsync(big)).Length);
        Assert.Equal(5000, (await client.GetByteArrayAsync(big)).Length);
        Assert.Equal(2, _backend.Requests);

        var chunked = Object(host, "ch", "Cache-Control:max-age=60") + "&chunked=1";
        var first = await client.GetStringAsync(chunked);
        Assert.Equal(first, await client.GetStringAsync(chunked));
        Assert.Equal(3, _backend.Requests);
    }

    [Fact]
    public async Task With_flash_cache_concurrent_first_requests_make_one_member_request()
    {
        await using var host = await StartAsync("set cache contentGroup DEFAULT -flashCache YES");
        _backend.Latency = TimeSpan.FromMilliseconds(300);
        var url = Object(host, "flash", "Cache-Control:max-age=60");
        var clients = Enumerable.Range(0, 8).Select(_ => Client()).ToList();
        var bodies = await Task.WhenAll(clients.Select(c => c.GetStringAsync(url)));
        clients.ForEach(c => c.Dispose());

        Assert.Equal(1, _backend.Requests);
        Assert.Single(bodies.Distinct());
        Assert.Equal(7, (await Stat(host)).FlashWaits);
    }

    [Fact]
    public async Task A_NOCACHE_policy_and_a_vserver_without_cache_policies_leave_the_cache_alone()
    {
        await using var host = await StartAsync("""
            add cache policy never -rule "HTTP.REQ.URL.CONTAINS(\"never\")" -action NOCACHE
            bind lb vserver web -policyName never -priority 1 -type REQUEST
            """);
        using var client = Client();
        var url = Object(host, "never", "Cache-Control:max-age=60");
        (await client.GetAsync(url)).Dispose();
        (await client.GetAsync(url)).Dispose();
        Assert.Equal(2, _backend.Requests);

        await host.MustApplyAsync("unbind cache global everything\nunbind lb vserver web -policyName never");
        var other = Object(host, "plain", "Cache-Control:max-age=60");
        (await client.GetAsync(other)).Dispose();
        (await client.GetAsync(other)).Dispose();
        Assert.Equal(4, _backend.Requests);
        Assert.Equal(0, (await Stat(host)).Stored);
    }

    [Fact]
    public async Task A_cache_policy_bound_to_a_cs_vserver_caches_what_it_switches()
    {
        await using var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 HTTP {_backend.Port}
            add lb vserver inner HTTP 0.0.0.0 0
            bind lb vserver inner s1
            add cs vserver front HTTP 127.0.0.1 {Ports.Free()}
            bind cs vserver front -lbvserver inner
            add cache policy cp -rule TRUE -action CACHE
            bind cs vserver front -policyName cp -priority 10 -type REQUEST
            """);
        using var client = Client();
        var url = $"http://{host.EndPointOf("front")}/c/cs?h=" + Uri.EscapeDataString("Cache-Control:max-age=60");
        Assert.Equal(await client.GetStringAsync(url), await client.GetStringAsync(url));
        Assert.Equal(1, _backend.Requests);
    }

    [Fact]
    public async Task Hit_params_make_urls_that_differ_elsewhere_one_object_and_a_head_is_answered_from_it()
    {
        await using var host = await StartAsync("""
            add cache contentGroup byid -hitParams id h -relExpiry 60
            add cache policy ids -rule "HTTP.REQ.URL.PATH.STARTSWITH(\"/c/item\")" -action CACHE -storeInGroup byid
            bind cache global ids -priority 10 -type REQ_OVERRIDE
            """);
        using var client = Client();
        var url = Object(host, "item", "X-A:1");
        var first = await client.GetStringAsync(url + "&id=7&session=a");
        Assert.Equal(first, await client.GetStringAsync(url + "&session=b&id=7"));
        Assert.Equal(1, _backend.Requests);
        (await client.GetAsync(url + "&id=8&session=a")).Dispose();
        Assert.Equal(2, _backend.Requests);

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url + "&id=7"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(first.Length, head.Content.Headers.ContentLength);
        Assert.Equal(2, _backend.Requests);
        var groups = (CacheGroupList)(await host.MustApplyAsync("show cache contentGroup byid")).Results.Single();
        Assert.Equal(2, groups.Groups.Single().Objects);
        Assert.Contains("Hit params: id h", groups.ToText());
    }
}
