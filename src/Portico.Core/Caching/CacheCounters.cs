namespace Portico.Caching;

/// <summary>The integrated cache's totals (<c>stat cache</c>, <c>/metrics</c> as <c>portico.cache.*</c>, the history log).</summary>
public sealed class CacheCounters
{
    /// <summary>Requests answered from a stored object (304s included).</summary>
    public long Hits;

    /// <summary>Cacheable requests that found no usable object and went to a member.</summary>
    public long Misses;

    /// <summary>Conditional requests the cache answered 304 itself.</summary>
    public long NotModifiedServed;

    /// <summary>Stale objects revalidated with the member (a conditional request sent).</summary>
    public long Revalidations;

    /// <summary>Revalidations the member answered 304: the object was refreshed, not fetched again.</summary>
    public long Refreshed;

    /// <summary>Responses stored.</summary>
    public long Stored;

    /// <summary>Objects removed to stay within a memory limit.</summary>
    public long Evicted;

    /// <summary>Objects removed by a flush or an INVAL policy.</summary>
    public long Invalidated;

    /// <summary>Requests that waited for another request's fetch of the same object (-flashCache).</summary>
    public long FlashWaits;
}
