using System.Runtime.CompilerServices;
using System.Text;
using Portico.Caching;
using Portico.Http.Parsing;

namespace Portico.Http.Proxying;

/// <summary>
/// The integrated cache on the engine, request side: after the responder and rewrite, before a member is chosen,
/// a GET or HEAD the cache policies let through is looked up; a fresh object answers it the way the responder
/// answers (no member is asked), a stale one with validators is revalidated, a miss goes on and its response is
/// stored as it is relayed (<c>Http1Connection.CacheStore.cs</c>).
/// </summary>
internal sealed partial class Http1Connection
{
    /// <summary>How long a miss waits for another request's fetch of the same object (-flashCache) before it asks a member itself.</summary>
    public static readonly TimeSpan FlashCacheWait = TimeSpan.FromSeconds(5);

    /// <summary>Bodies up to this size are copied behind the head and sent in one write; larger ones are written from the entry.</summary>
    private const int CopyBodyLimit = 32 * 1024;

    // The cache's state for the request in progress; null on connections that never used the cache.
    private CacheRequest? _cache;

    /// <summary>What the cache knows of the request in progress.</summary>
    private sealed class CacheRequest
    {
        public bool Active;
        public CacheGroupSettings Group = null!;
        public CacheDecision Decision = CacheDecision.Default;
        public string Key = "";
        public bool FetchOwner;
        public CacheEntry? Stale;
        public CacheFill? Fill;
        public CacheEntryInfo? Info;

        public void Reset()
        {
            Active = false;
            FetchOwner = false;
            Stale = null;
            Fill = null;
            Info = null;
            Key = "";
        }
    }

    /// <summary>Answers from the cache (the connection's keep-alive), or null: the request goes to a member.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool?> CacheLookupAsync(HttpVserver vserver, CacheTables tables)
    {
        var decision = tables.Request(this, Vserver.Name, vserver.Name) ?? CacheDecision.Default;
        var cache = _services.Cache;
        var span = _in.Span;
        if (decision.Action == CacheAction.Inval)
        {
            // Any method may invalidate (a PURGE, a POST that changes the object); only GET and HEAD are looked up.
            Invalidate(tables, decision, span);
            return null;
        }

        if (_head.KnownMethod is not (KnownMethod.Get or KnownMethod.Head) || !_bodyComplete)
        {
            return null;
        }

        if (decision.Action == CacheAction.NoCache || _head.Field(span, "Authorization"u8) is not null
            || !tables.Groups.TryGetValue(decision.Group, out var group))
        {
            // A request with credentials is never answered from, nor stored in, a shared cache (RFC 9111 3.5).
            return null;
        }

        Span<char> key = stackalloc char[CacheKeys.MaxLength];
        var length = CacheKeys.Build(key, group.Name, _head.HasHost ? span[_head.Host] : default, span[_head.PathAndQuery], group);
        if (length < 0)
        {
            return null;
        }

        var now = _services.Dates.NowTicks;
        var revalidate = !group.IgnoreRequestCachingHeaders
            && Freshness.RequestWantsRevalidation(Text(span, "Cache-Control"u8), Text(span, "Pragma"u8));
        var found = Find(cache.Store, key[..length]);
        if (found is not null && !revalidate && found.IsFresh(now))
        {
            return await CacheHitAsync(vserver, found, group, now).ConfigureAwait(false);
        }

        _cache ??= new CacheRequest();
        var state = _cache;
        state.Key = new string(key[..length]);
        if (found is not null && found.HasValidators && !Conditional(span) && _head.KnownMethod == KnownMethod.Get)
        {
            // Stale (or the client asked for revalidation): the member is asked whether it changed, with the entry's validators.
            state.Stale = found;
            Interlocked.Increment(ref cache.Counters.Revalidations);
        }
        else
        {
            Interlocked.Increment(ref cache.Counters.Misses);
        }

        if (_head.KnownMethod == KnownMethod.Head)
        {
            // A HEAD is answered from a stored GET, but its own response has no body to store.
            state.Reset();
            return null;
        }

        if (group.FlashCache && state.Stale is null && found is null && cache.Store.BeginFetch(state.Key) is { } fetching)
        {
            // Another request is fetching this object: wait for it (bounded), then answer from what it stored.
            Interlocked.Increment(ref cache.Counters.FlashWaits);
            try
            {
                await fetching.WaitAsync(FlashCacheWait, _services.Time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }

            if (Find(cache.Store, state.Key) is { } fetched && fetched.IsFresh(_services.Dates.NowTicks))
            {
                Interlocked.Decrement(ref cache.Counters.Misses);
                state.Reset();
                return await CacheHitAsync(vserver, fetched, group, _services.Dates.NowTicks).ConfigureAwait(false);
            }
        }
        else if (group.FlashCache && state.Stale is null && found is null)
        {
            state.FetchOwner = true;
        }

        state.Active = true;
        state.Group = group;
        state.Decision = decision;
        return null;
    }

    /// <summary>The stored variant that matches this request's values of its Vary fields, or null.</summary>
    private CacheEntry? Find(CacheStore store, ReadOnlySpan<char> key)
    {
        if (!store.Lookup.TryGetValue(key, out var obj))
        {
            return null;
        }

        var span = _in.Span;
        foreach (var entry in obj.Variants)
        {
            var match = true;
            for (var i = 0; i < obj.Vary.Length && match; i++)
            {
                var value = _head.Field(span, obj.VaryNames[i]);
                var stored = entry.VaryValues[i];
                match = value is { } v ? stored is not null && span[v].SequenceEqual(stored) : stored is null;
            }

            if (match)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Writes a stored object (or a 304 for it) to the client.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> CacheHitAsync(HttpVserver vserver, CacheEntry entry, CacheGroupSettings group, long now)
    {
        var cache = _services.Cache;
        var span = _in.Span;
        var tag = Validation.EntityTag.TryParseField(entry.ETag, out var stored) ? stored : (Validation.EntityTag?)null;
        var notModified = Validation.Conditional.Evaluate(Text(span, "If-None-Match"u8), Text(span, "If-Modified-Since"u8), tag, entry.LastModified,
            _services.Time.GetUtcNow()) == Validation.ConditionalResult.NotModified;
        Interlocked.Increment(ref cache.Counters.Hits);
        Interlocked.Increment(ref entry.Hits);
        cache.Store.Touch(entry);
        if (notModified)
        {
            Interlocked.Increment(ref cache.Counters.NotModifiedServed);
        }

        return await WriteCachedAsync(vserver, entry, group, now, notModified).ConfigureAwait(false);
    }

    /// <summary>The answer from <paramref name="entry"/>: its head, Age, Date, Via, the connection's framing, the body.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> WriteCachedAsync(HttpVserver vserver, CacheEntry entry, CacheGroupSettings group, long now, bool notModified)
    {
        var keepAlive = _head.KeepAlive && _bodyComplete && !_stopping && (vserver.Profile.MaxRequests == 0 || _served < vserver.Profile.MaxRequests);
        _logStatus = notModified ? 304 : entry.Status;
        var withBody = !notModified && _head.KnownMethod != KnownMethod.Head;
        _response.Clear();
        _response.Append(notModified ? entry.NotModifiedHead : entry.Head);
        if (group.InsertAge)
        {
            _response.Append("Age: "u8);
            _response.AppendDecimal(entry.AgeSeconds(now));
            _response.Append("\r\n"u8);
        }

        _response.Append(_services.Dates.Line(now));
        if (group.ViaLine is { } via)
        {
            _response.Append(via);
        }

        _response.Append(!keepAlive ? "Connection: close\r\n\r\n"u8 : _head.Minor == 0 ? "Connection: keep-alive\r\n\r\n"u8 : "\r\n"u8);
        var body = entry.Body;
        var inline = withBody && body.Length <= CopyBodyLimit;
        if (inline)
        {
            _response.Append(body.Span);
        }

        ConsumeHead();
        if (!await TryWriteClientAsync(vserver, _response.Written).ConfigureAwait(false)
            || (withBody && !inline && !await TryWriteClientAsync(vserver, body).ConfigureAwait(false)))
        {
            return false;
        }

        if (!keepAlive)
        {
            await LingerAsync().ConfigureAwait(false);
        }

        return keepAlive;
    }

    /// <summary>An INVAL policy: empties its groups, removes this request's object from its object groups.</summary>
    private void Invalidate(CacheTables tables, CacheDecision decision, ReadOnlySpan<byte> span)
    {
        var store = _services.Cache.Store;
        foreach (var g in decision.InvalGroups)
        {
            store.Remove(e => e.Group == g);
        }

        foreach (var g in decision.InvalObjects)
        {
            if (tables.Groups.TryGetValue(g, out var group)
                && CacheKeys.Of(g, _head.HasHost ? span[_head.Host] : default, span[_head.PathAndQuery], group) is { } key)
            {
                store.RemoveKey(key);
            }
        }
    }

    /// <summary>The client asked conditionally itself: its own validators go to the member, the cache adds none.</summary>
    private bool Conditional(ReadOnlySpan<byte> span) =>
        _head.Field(span, "If-None-Match"u8).HasValue || _head.Field(span, "If-Modified-Since"u8).HasValue
        || _head.Field(span, "If-Match"u8).HasValue || _head.Field(span, "If-Unmodified-Since"u8).HasValue || _head.Field(span, "If-Range"u8).HasValue;

    private string? Text(ReadOnlySpan<byte> span, ReadOnlySpan<byte> name) =>
        _head.Field(span, name) is { } v ? Encoding.Latin1.GetString(span[v]) : null;

    /// <summary>Adds the stale entry's validators to the request being composed (RFC 9111 4.3.1).</summary>
    private void AppendCacheValidators(CacheEntry stale)
    {
        if (stale.ETag is { } etag)
        {
            _out.Append("If-None-Match: "u8);
            _out.AppendAscii(etag);
            _out.Append("\r\n"u8);
        }

        if (stale.LastModified is { } lm)
        {
            _out.Append("If-Modified-Since: "u8);
            _out.AppendAscii(Validation.HttpDate.Format(lm));
            _out.Append("\r\n"u8);
        }
    }
}
