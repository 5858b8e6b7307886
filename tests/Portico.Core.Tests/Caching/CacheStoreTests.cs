using Portico.Caching;

namespace Portico.Core.Tests.Caching;

/// <summary>The store: variants by Vary values, LRU eviction under the whole limit and a group's, removal.</summary>
public sealed class CacheStoreTests
{
    private readonly CacheStore _store = new(new CacheCounters());

    private static CacheEntry Entry(string key, int bytes, string group = "DEFAULT", byte[]?[]? vary = null)
    {
        var e = FreshnessTests.Entry(0, 0, 60_000, key, group, bytes);
        return new CacheEntry
        {
            Group = e.Group, Key = e.Key, Host = e.Host, Url = key, VaryValues = vary ?? [], Head = e.Head, NotModifiedHead = e.NotModifiedHead, Body = e.Body,
            Status = 200, ResponseTime = 0, InitialAge = 0, LifetimeMs = 60_000,
        };
    }

    [Fact]
    public void Past_the_limit_the_least_recently_used_entry_goes_first()
    {
        var size = Entry("x", 1000).Size;
        var limit = (3 * size) + 10;
        var a = Entry("a", 1000);
        var b = Entry("b", 1000);
        var c = Entry("c", 1000);
        Assert.True(_store.Put(a, [], limit, 0));
        Assert.True(_store.Put(b, [], limit, 0));
        Assert.True(_store.Put(c, [], limit, 0));
        _store.Touch(a);

        Assert.True(_store.Put(Entry("d", 1000), [], limit, 0));

        Assert.Equal(["a", "c", "d"], _store.Entries.Select(e => e.Url).Order());
        Assert.Equal(1, _store.Counters.Evicted);
        Assert.Equal(3 * size, _store.BytesUsed);
    }

    [Fact]
    public void A_groups_own_limit_evicts_only_its_own_entries()
    {
        var size = Entry("x", 1000).Size;
        _store.Put(Entry("other", 1000, "g2"), [], long.MaxValue, 0);
        _store.Put(Entry("a", 1000, "g1"), [], long.MaxValue, 2 * size);
        _store.Put(Entry("b", 1000, "g1"), [], long.MaxValue, 2 * size);
        _store.Put(Entry("c", 1000, "g1"), [], long.MaxValue, 2 * size);

        Assert.Equal(["b", "c", "other"], _store.Entries.Select(e => e.Url).Order());
        Assert.Equal(2 * size, _store.GroupBytes("g1"));
        Assert.False(_store.Put(Entry("huge", 5000, "g1"), [], long.MaxValue, 2 * size));
    }

    [Fact]
    public void Variants_share_a_key_and_a_change_of_vary_names_replaces_them_all()
    {
        _store.Put(Entry("k", 10, vary: ["gzip"u8.ToArray()]), ["accept-encoding"], long.MaxValue, 0);
        _store.Put(Entry("k", 10, vary: [null]), ["accept-encoding"], long.MaxValue, 0);
        _store.Put(Entry("k", 10, vary: ["gzip"u8.ToArray()]), ["accept-encoding"], long.MaxValue, 0);
        Assert.Equal(2, _store.Count);
        Assert.True(_store.Lookup.TryGetValue("k", out var obj));
        Assert.Equal(["accept-encoding"], obj.Vary);

        _store.Put(Entry("k", 10, vary: ["a"u8.ToArray()]), ["x-variant"], long.MaxValue, 0);
        Assert.Equal(1, _store.Count);
        Assert.Equal(Entry("x", 10).Size, _store.BytesUsed);
    }

    [Fact]
    public void Removal_by_group_or_key_gives_the_memory_back()
    {
        _store.Put(Entry("a", 10, "g1"), [], long.MaxValue, 0);
        _store.Put(Entry("b", 10, "g2"), [], long.MaxValue, 0);
        Assert.Equal(1, _store.Remove(e => e.Group == "g1"));
        Assert.Equal(1, _store.RemoveKey("b"));
        Assert.Equal(0, _store.BytesUsed);
        Assert.Equal(2, _store.Counters.Invalidated);
    }

    [Fact]
    public async Task The_first_miss_owns_the_fetch_and_later_ones_wait_for_its_end()
    {
        Assert.Null(_store.BeginFetch("k"));
        var wait = _store.BeginFetch("k");
        Assert.NotNull(wait);
        Assert.False(wait.IsCompleted);
        _store.EndFetch("k");
        await wait;
        Assert.Null(_store.BeginFetch("k"));
    }
}
