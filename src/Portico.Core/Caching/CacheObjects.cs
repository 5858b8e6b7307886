using Portico.CommandLanguage;

namespace Portico.Caching;

/// <summary><c>set cache parameter -memLimit MB [-via TEXT]</c>: the cache's whole memory and its Via value.</summary>
/// <param name="MemLimitMb">Megabytes all stored objects may take together (null: <see cref="DefaultMemLimitMb"/>).</param>
/// <param name="Via">The value of the Via field a group with <c>-insertVia YES</c> adds (null: <see cref="DefaultVia"/>).</param>
public sealed record CacheParameters(long? MemLimitMb, string? Via)
{
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];

    public const long DefaultMemLimitMb = 100;

    public const string DefaultVia = "Portico-cache";

    public static readonly CacheParameters Default = new(null, null);

    public long MemLimitBytes => (MemLimitMb ?? DefaultMemLimitMb) * 1024 * 1024;
}

/// <summary>
/// <c>add cache contentGroup NAME ...</c>: how the objects of one group are kept. Unset values take NetScaler's
/// defaults except where <c>docs/design/cache.md</c> says Portico's differ (<c>-removeCookies</c>,
/// <c>-ignoreReqCachingHdrs</c>: Portico is safe and RFC 9111-true by default).
/// </summary>
public sealed record CacheContentGroup(string Name)
{
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];

    /// <summary>Seconds an object stays fresh whatever its own headers say.</summary>
    public long? RelExpiry { get; init; }

    /// <summary>The same in milliseconds (NetScaler's second field: the two add up).</summary>
    public long? RelExpiryMilliSec { get; init; }

    /// <summary>Percent of the time since Last-Modified an object without explicit expiry stays fresh (RFC 9111 4.2.2).</summary>
    public long? HeurExpiryParam { get; init; }

    /// <summary>KB: a larger response is passed through, never buffered (NetScaler's default 80).</summary>
    public long? MaxResSize { get; init; }

    /// <summary>KB: a smaller response is not stored.</summary>
    public long? MinResSize { get; init; }

    /// <summary>MB this group's objects may take (within the cache's whole -memLimit).</summary>
    public long? MemLimit { get; init; }

    public bool? InsertETag { get; init; }

    public bool? InsertAge { get; init; }

    public bool? InsertVia { get; init; }

    /// <summary>Query parameters that make the object's key (the others are ignored); none: the whole URL.</summary>
    public IReadOnlyList<string> HitParams { get; init; } = [];

    public bool? IgnoreParamValueCase { get; init; }

    /// <summary>Concurrent misses for one object wait for the one fetch.</summary>
    public bool? FlashCache { get; init; }

    /// <summary>Strip Set-Cookie from a response and store it (else a Set-Cookie response is never stored).</summary>
    public bool? RemoveCookies { get; init; }

    public bool? Prefetch { get; init; }

    /// <summary>Ignore the request's Cache-Control and Pragma (else <c>no-cache</c> revalidates).</summary>
    public bool? IgnoreReqCachingHdrs { get; init; }

    public bool? ExpireAtLastByte { get; init; }

    public string? Comment { get; init; }

    /// <summary>The groups every NetScaler has; they cannot be removed, only set.</summary>
    public static readonly string[] BuiltIn = ["DEFAULT", "BASEFILE", "DELTAJS", "NSFEO"];

    public static bool IsBuiltIn(string name) => BuiltIn.Contains(name, StringComparer.OrdinalIgnoreCase);

    public const long DefaultMaxResSizeKb = 80;

    public long MaxBytes => (MaxResSize ?? DefaultMaxResSizeKb) * 1024;

    public long MinBytes => (MinResSize ?? 0) * 1024;

    /// <summary>The forced lifetime in milliseconds, or null when the origin's headers decide.</summary>
    public long? ForcedLifetimeMs => RelExpiry is null && RelExpiryMilliSec is null ? null : ((RelExpiry ?? 0) * 1000) + (RelExpiryMilliSec ?? 0);
}

/// <summary>What a cache policy does with the request or response it matches.</summary>
public enum CacheAction
{
    /// <summary>Store the response even when its headers give no freshness (the group's expiry then decides).</summary>
    Cache,

    /// <summary>Never store, never answer from the cache.</summary>
    NoCache,

    /// <summary>Store when RFC 9111 allows it (the default for GET and HEAD when no policy matches).</summary>
    MayCache,

    /// <summary>Do not store unless a later response policy says CACHE; answer from a stored object still.</summary>
    MayNoCache,

    /// <summary>Remove the named groups' or objects' entries; the request goes to the member.</summary>
    Inval,
}

/// <summary><c>add cache policy NAME -rule EXPR -action A [-storeInGroup G] [-invalGroups G...] [-invalObjects G...] [-undefAction A]</c>.</summary>
public sealed record CachePolicy(string Name, string Rule, CacheAction Action)
{
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];

    public string? StoreInGroup { get; init; }

    public IReadOnlyList<string> InvalGroups { get; init; } = [];

    /// <summary>Groups whose object for this request's key is removed (NetScaler's -invalObjects names groups too).</summary>
    public IReadOnlyList<string> InvalObjects { get; init; } = [];

    public CacheAction? UndefAction { get; init; }

    public string? Comment { get; init; }

    public static readonly KeywordMap<CacheAction> Actions = new(
        ("CACHE", CacheAction.Cache),
        ("NOCACHE", CacheAction.NoCache),
        ("MAY_CACHE", CacheAction.MayCache),
        ("MAY_NOCACHE", CacheAction.MayNoCache),
        ("INVAL", CacheAction.Inval));
}
