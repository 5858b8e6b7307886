using System.Globalization;
using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Policies;

namespace Portico.Caching.Commands;

/// <summary><c>show cache parameter|contentGroup|policy|object</c>, <c>stat cache</c>, <c>flush cache contentGroup|object</c>: the live store.</summary>
internal sealed class CacheReports(CacheRuntime cache)
{
    public IQueryResult Parameters(CommandContext ctx, ParsedCommand c)
    {
        var p = ctx.Config.CacheParameters;
        return new CacheParameterView(p.MemLimitMb ?? CacheParameters.DefaultMemLimitMb, cache.Store.BytesUsed, p.Via ?? CacheParameters.DefaultVia);
    }

    public IQueryResult Groups(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var entries = cache.Store.Entries.ToList();
        var list = ctx.Config.AllCacheGroups.Where(g => name is null || g.Name == name).Select(g => new CacheGroupView(g.Name,
            g.RelExpiry, g.MaxResSize ?? CacheContentGroup.DefaultMaxResSizeKb, g.MinResSize ?? 0, g.MemLimit, [.. g.HitParams], g.FlashCache ?? false,
            g.InsertETag ?? true, g.InsertAge ?? true, g.RemoveCookies ?? false, g.IgnoreReqCachingHdrs ?? false,
            entries.Count(e => e.Group == g.Name), cache.Store.GroupBytes(g.Name), g.Comment)).ToList();
        return name is not null && list.Count == 0 ? throw c.Error("name", $"no cache contentGroup named '{name}'") : new CacheGroupList(list);
    }

    public IQueryResult Policies(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("policyName");
        var list = ctx.Config.CachePolicies.Where(p => name is null || p.Name == name).Select(p => new CachePolicyView(p.Name, p.Rule, CachePolicy.Actions[p.Action],
            p.StoreInGroup ?? (p.Action is CacheAction.Cache or CacheAction.MayCache ? "DEFAULT" : null), [.. p.InvalGroups], [.. p.InvalObjects],
            Interlocked.Read(ref cache.PolicyHits.Of(p.Name).Hits), Interlocked.Read(ref cache.PolicyHits.Of(p.Name).Undefined),
            [.. ctx.Config.PolicyBindings.Where(b => b.Policy == p.Name).Select(b => $"{b.Point} (priority {b.Priority}{(b.Type is { } t ? ", " + t : "")})")])).ToList();
        return name is not null && list.Count == 0 ? throw c.Error("policyName", $"no cache policy named '{name}'") : new CachePolicyList(list);
    }

    public IQueryResult Objects(CommandContext ctx, ParsedCommand c)
    {
        var now = cache.Time.GetUtcNow().UtcTicks;
        var locator = c.Maybe<long>("locator");
        var url = c.MaybeRef<string>("url");
        var host = c.MaybeRef<string>("host");
        var group = c.MaybeRef<string>("group");
        var list = cache.Store.Entries.Where(e => (locator is null || e.Locator == locator) && (url is null || e.Url == url)
                && (host is null || e.Host.Equals(host, StringComparison.OrdinalIgnoreCase)) && (group is null || e.Group == group))
            .OrderBy(e => e.Locator)
            .Select(e => new CacheObjectView(e.Locator, e.Url, e.Host, e.Group, e.Status, e.Body.Length, e.AgeSeconds(now), Interlocked.Read(ref e.Hits),
                new DateTimeOffset(e.ExpiresTicks, TimeSpan.Zero), e.IsFresh(now), e.ETag))
            .ToList();
        return locator is not null && list.Count == 0 ? throw c.Error("locator", $"no cached object with locator {locator}") : new CacheObjectList(list);
    }

    public IQueryResult Stat(CommandContext ctx, ParsedCommand c)
    {
        var k = cache.Counters;
        return new CacheStat(Interlocked.Read(ref k.Hits), Interlocked.Read(ref k.Misses), Interlocked.Read(ref k.NotModifiedServed),
            Interlocked.Read(ref k.Revalidations), Interlocked.Read(ref k.Refreshed), Interlocked.Read(ref k.Stored), Interlocked.Read(ref k.Evicted),
            Interlocked.Read(ref k.Invalidated), Interlocked.Read(ref k.FlashWaits), cache.Store.Count, cache.Store.BytesUsed, cache.LimitBytes);
    }

    public IQueryResult FlushGroup(CommandContext ctx, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return new CacheFlushed(cache.Store.Remove(_ => true), "all content groups");
        }

        if (!ctx.Config.AllCacheGroups.Any(g => g.Name == name))
        {
            throw c.Error("name", $"no cache contentGroup named '{name}'");
        }

        return new CacheFlushed(cache.Store.Remove(e => e.Group == name), $"content group {name}");
    }

    public IQueryResult FlushObject(CommandContext ctx, ParsedCommand c)
    {
        if (c.Maybe<long>("locator") is { } locator)
        {
            var n = cache.Store.Remove(e => e.Locator == locator);
            return n == 0 ? throw c.Error("locator", $"no cached object with locator {locator}") : new CacheFlushed(n, $"locator {locator}");
        }

        var url = c.MaybeRef<string>("url") ?? throw c.Error("expects -locator N, or -url URL -host HOST");
        var host = c.MaybeRef<string>("host") ?? throw c.Error("url", "-url needs -host HOST (the Host the object was requested with)");
        var group = c.MaybeRef<string>("groupName");
        return new CacheFlushed(cache.Store.Remove(e => e.Url == url && e.Host.Equals(host, StringComparison.OrdinalIgnoreCase) && (group is null || e.Group == group)),
            $"{host}{url}");
    }
}

public sealed record CacheParameterView(long MemLimitMb, long MemoryUsedBytes, string Via) : IQueryResult
{
    public string ToText() => $"Memory limit: {MemLimitMb} MB\nMemory used: {MemoryUsedBytes} bytes\nVia: {Via}\n";
}

public sealed record CacheGroupView(string Name, long? RelExpiry, long MaxResSizeKb, long MinResSizeKb, long? MemLimitMb, IReadOnlyList<string> HitParams,
    bool FlashCache, bool InsertETag, bool InsertAge, bool RemoveCookies, bool IgnoreReqCachingHdrs, int Objects, long MemoryUsedBytes, string? Comment);

public sealed record CacheGroupList(IReadOnlyList<CacheGroupView> Groups) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Groups.Count} cache contentGroup(s)\n");
        foreach (var g in Groups)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{g.Name}\tObjects: {g.Objects}\tMemory: {g.MemoryUsedBytes} bytes\n");
            sb.Append(CultureInfo.InvariantCulture, $"\tRelative expiry: {(g.RelExpiry is { } r ? r + " s" : "origin headers")}\tMax size: {g.MaxResSizeKb} KB\tMin size: {g.MinResSizeKb} KB\n");
            sb.Append(CultureInfo.InvariantCulture, $"\tFlash cache: {YesNo(g.FlashCache)}\tInsert ETag: {YesNo(g.InsertETag)}\tInsert Age: {YesNo(g.InsertAge)}\tRemove cookies: {YesNo(g.RemoveCookies)}\n");
            if (g.HitParams.Count > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"\tHit params: {string.Join(' ', g.HitParams)}\n");
            }
        }

        return sb.ToString();
    }

    private static string YesNo(bool b) => b ? "YES" : "NO";
}

public sealed record CachePolicyView(string Name, string Rule, string Action, string? StoreInGroup, IReadOnlyList<string> InvalGroups, IReadOnlyList<string> InvalObjects,
    long Hits, long UndefHits, IReadOnlyList<string> BoundTo);

public sealed record CachePolicyList(IReadOnlyList<CachePolicyView> Policies) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Policies.Count} cache policy(ies)\n");
        foreach (var p in Policies)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{p.Name}\n\tRule: {p.Rule}\n\tAction: {p.Action}");
            sb.Append(p.StoreInGroup is { } g ? $"\tStore in group: {g}" : "");
            sb.Append(p.InvalGroups.Count > 0 ? $"\tInval groups: {string.Join(' ', p.InvalGroups)}" : "");
            sb.Append(p.InvalObjects.Count > 0 ? $"\tInval objects: {string.Join(' ', p.InvalObjects)}" : "");
            sb.Append(CultureInfo.InvariantCulture, $"\n\tHits: {p.Hits}\tUndef hits: {p.UndefHits}\n\tBound to: {(p.BoundTo.Count == 0 ? "-" : string.Join(", ", p.BoundTo))}\n");
        }

        return sb.ToString();
    }
}

public sealed record CacheObjectView(long Locator, string Url, string Host, string Group, int Status, int Size, long AgeSeconds, long Hits, DateTimeOffset Expires,
    bool Fresh, string? ETag);

public sealed record CacheObjectList(IReadOnlyList<CacheObjectView> Objects) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Objects.Count} cached object(s)\n");
        foreach (var o in Objects)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{o.Locator}\tURL: {o.Url}\tHost: {o.Host}\tGroup: {o.Group}\tStatus: {o.Status}\tSize: {o.Size}\tAge: {o.AgeSeconds} s\tHits: {o.Hits}\tExpires: {Validation.HttpDate.Format(o.Expires)}{(o.Fresh ? "" : " (stale)")}\n");
        }

        return sb.ToString();
    }
}

public sealed record CacheStat(long Hits, long Misses, long NotModifiedServed, long Revalidations, long Refreshed, long Stored, long Evicted, long Invalidated,
    long FlashWaits, int Objects, long MemoryUsedBytes, long MemoryLimitBytes) : IQueryResult
{
    public string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"Integrated cache\n\tHits: {Hits}\n\tMisses: {Misses}\n\t304s served: {NotModifiedServed}\n\tRevalidations: {Revalidations}\t(refreshed by 304: {Refreshed})\n\tStored: {Stored}\n\tEvicted: {Evicted}\n\tInvalidated: {Invalidated}\n\tFlash cache waits: {FlashWaits}\n\tObjects: {Objects}\n\tMemory used: {MemoryUsedBytes} of {MemoryLimitBytes} bytes\n");
}

public sealed record CacheFlushed(int Removed, string What) : IQueryResult
{
    public string ToText() => $"Flushed {Removed} object(s) of {What}\n";
}
