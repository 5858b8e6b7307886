using System.Runtime.CompilerServices;
using System.Text;
using Portico.Caching;
using Portico.Http.Parsing;

namespace Portico.Http.Proxying;

/// <summary>
/// The integrated cache on the engine, response side: whether a member's response is stored (RFC 9111 3, the
/// response policies, the group's limits), the tee of its payload as it is relayed, and the member's 304 to a
/// revalidation, which refreshes the stored object and answers the client from it.
/// </summary>
internal sealed partial class Http1Connection
{
    /// <summary>
    /// Called once the response head is composed into <see cref="_response"/> (the fields after rewrite and the
    /// validators, and for a compressed response its coding): starts a fill when the response may be stored.
    /// </summary>
    private void CacheBeginStore(HttpVserver vserver, ResponseHead response, InBuffer input, BodyFraming framing, bool rechunk, int headLength)
    {
        var state = _cache!;
        var span = input.Span;

        var action = state.Decision.Action;
        var tables = _services.Cache.Current;
        _policyResponse = response;
        _policyResponseInput = input;
        try
        {
            if (tables.Response(this, Vserver.Name, vserver.Name) is { } decided && decided.Action != CacheAction.Inval)
            {
                action = decided.Action;
            }
        }
        finally
        {
            _policyResponse = null;
            _policyResponseInput = null;
        }

        var group = state.Group;
        if (action is CacheAction.NoCache or CacheAction.MayNoCache || !Freshness.CacheableStatus(response.Status)
            || framing is not (BodyFraming.ContentLength or BodyFraming.Chunked)
            || (framing == BodyFraming.ContentLength && (response.ContentLength > group.MaxBytes || response.ContentLength < group.MinBytes))
            || (response.Field(span, FieldKind.SetCookie) is not null && !group.RemoveCookies))
        {
            return;
        }

        var facts = new ResponseFacts(response.Status, ResponseText(response, span, "Cache-Control"u8), ResponseText(response, span, "Expires"u8), ResponseText(response, span, "Date"u8), ResponseText(response, span, "Last-Modified"u8), ResponseText(response, span, "Age"u8), ResponseText(response, span, "Pragma"u8));
        if (Freshness.Forbids(facts) is not null)
        {
            return;
        }

        // Vary and ETag as the client gets them: after rewrite, the profile's -eTag, and compression (which adds
        // Accept-Encoding to Vary and weakens the tag).
        var composed = _response.Written.Span[..headLength];
        var vary = (ComposedField(composed, "Vary"u8) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(v => v.ToLowerInvariant()).Distinct().ToArray();
        if (vary.Contains("*"))
        {
            return;
        }

        var now = _services.Time.GetUtcNow();
        var etag = ComposedField(composed, "ETag"u8);
        var lastModified = Validation.HttpDate.Parse(facts.LastModified, now);
        var lifetime = Freshness.LifetimeMs(facts, group, now);
        if (lifetime is null && action == CacheAction.Cache)
        {
            lifetime = 0;
        }

        if (lifetime is null || (lifetime == 0 && etag is null && lastModified is null))
        {
            // Nothing says how long it is fresh and nothing could revalidate it: storing would only cost memory.
            return;
        }

        var request = _in.Span;
        var varyValues = new byte[]?[vary.Length];
        for (var i = 0; i < vary.Length; i++)
        {
            varyValues[i] = _head.Field(request, Encoding.ASCII.GetBytes(vary[i])) is { } v ? request[v].ToArray() : null;
        }

        var (fields, notModified) = StoredFields(_response.Written.Span[..headLength]);
        state.Info = new CacheEntryInfo(group.Name, state.Key, _head.HasHost ? Encoding.ASCII.GetString(request[_head.Host]).ToLowerInvariant() : "",
            Url(), varyValues, vary, response.Status, etag, lastModified, now.UtcTicks, Freshness.InitialAge(facts, now), lifetime.Value);
        state.Fill = new CacheFill(fields, notModified, framing == BodyFraming.ContentLength ? response.ContentLength : -1, group.MaxBytes,
            chunked: framing == BodyFraming.Chunked && rechunk);
        if (framing == BodyFraming.Chunked && !rechunk)
        {
            // An HTTP/1.0 client gets the bare payload: what is sent is the payload itself, ended by the last chunk.
            state.Fill = null;
        }
    }

    /// <summary>The value of the field <paramref name="name"/> in a composed head, or null.</summary>
    private static string? ComposedField(ReadOnlySpan<byte> head, ReadOnlySpan<byte> name)
    {
        while (head.IndexOf("\r\n"u8) is > 0 and var end)
        {
            var line = head[..end];
            head = head[(end + 2)..];
            if (line.Length > name.Length && line[name.Length] == (byte)':' && System.Text.Ascii.EqualsIgnoreCase(line[..name.Length], name))
            {
                return Encoding.Latin1.GetString(line[(name.Length + 1)..].Trim((byte)' '));
            }
        }

        return null;
    }

    private static string? ResponseText(ResponseHead response, ReadOnlySpan<byte> span, ReadOnlySpan<byte> name) =>
        response.Field(span, name) is { } v ? Encoding.Latin1.GetString(span[v]) : null;

    /// <summary>Tees bytes sent to the client into the fill (a no-op when nothing is being stored).</summary>
    private void CacheTee(HttpVserver vserver, ReadOnlySpan<byte> sent)
    {
        var state = _cache!;
        if (state.Fill is not { } fill)
        {
            return;
        }

        fill.Add(sent, vserver.Limits);
        if (fill.Complete)
        {
            // Stored before the last bytes go out: a client that has the whole response finds it in the cache.
            Commit(state, fill);
        }
        else if (fill.Failed)
        {
            state.Fill = null;
        }
    }

    private void Commit(CacheRequest state, CacheFill fill)
    {
        var cache = _services.Cache;
        state.Fill = null;
        if (state.Info is { } info)
        {
            cache.Store.Put(fill.Build(info, info.ETag, state.Group.InsertETag), info.Vary, cache.LimitBytes, state.Group.MemLimitBytes);
        }

        if (state.FetchOwner)
        {
            state.FetchOwner = false;
            cache.Store.EndFetch(state.Key);
        }
    }

    /// <summary>
    /// The composed head's lines as stored: the status line and fields less those each answer writes itself
    /// (framing, Connection, Date, Age) and every Set-Cookie (stored responses carry none: the group strips them or
    /// the response was not stored); and the fields a 304 keeps (RFC 9110 15.4.5).
    /// </summary>
    private static (byte[] Fields, byte[] NotModified) StoredFields(ReadOnlySpan<byte> head)
    {
        var all = new List<byte>(head.Length);
        var kept = new List<byte>(128);
        var first = true;
        while (!head.IsEmpty)
        {
            var end = head.IndexOf("\r\n"u8);
            if (end <= 0)
            {
                break;
            }

            var line = head[..(end + 2)];
            head = head[(end + 2)..];
            if (first)
            {
                all.AddRange(line);
                first = false;
                continue;
            }

            var colon = line.IndexOf((byte)':');
            var name = colon > 0 ? line[..colon] : line;
            if (Is(name, "Content-Length") || Is(name, "Transfer-Encoding") || Is(name, "Connection") || Is(name, "Keep-Alive") || Is(name, "Date")
                || Is(name, "Age") || Is(name, "Set-Cookie"))
            {
                continue;
            }

            all.AddRange(line);
            if (Is(name, "ETag") || Is(name, "Cache-Control") || Is(name, "Expires") || Is(name, "Vary") || Is(name, "Content-Location") || Is(name, "Last-Modified"))
            {
                kept.AddRange(line);
            }
        }

        return ([.. all], [.. kept]);

        static bool Is(ReadOnlySpan<byte> name, string field) => System.Text.Ascii.EqualsIgnoreCase(name, field);
    }

    /// <summary>
    /// The member answered the cache's revalidation 304: the stored object is refreshed (new age and, when the 304
    /// gives one, new lifetime) and answers the client, who never sees the member's 304 unless it asked for one.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Exchange> CacheRefreshedAsync(HttpVserver vserver, ServerConnection server, CacheEntry stale)
    {
        var response = server.Head;
        var input = server.Input;
        var span = input.Span;

        var facts = new ResponseFacts(200, ResponseText(response, span, "Cache-Control"u8), ResponseText(response, span, "Expires"u8), ResponseText(response, span, "Date"u8), null, ResponseText(response, span, "Age"u8), null);
        var group = _cache!.Group;
        var now = _services.Time.GetUtcNow();
        var lifetime = facts.CacheControl is null && facts.Expires is null && group.ForcedLifetimeMs is null ? stale.LifetimeMs
            : Freshness.LifetimeMs(facts, group, now) ?? stale.LifetimeMs;
        var refreshed = stale.Refreshed(now.UtcTicks, Freshness.InitialAge(facts, now), lifetime);
        var serverReusable = response.KeepAlive && input.Count == response.HeadLength;
        input.Consume(response.HeadLength);
        var cache = _services.Cache;
        cache.Store.Replace(stale, refreshed);
        Interlocked.Increment(ref cache.Counters.Refreshed);
        _cache.Reset();
        var keepAlive = await WriteCachedAsync(vserver, refreshed, group, now.UtcTicks, notModified: false).ConfigureAwait(false);
        return new Exchange(Outcome.Done, server.Member, null)
        {
            Status = refreshed.Status,
            ResponseStarted = true,
            ClientKeepAlive = keepAlive,
            ServerReusable = serverReusable,
        };
    }

    /// <summary>A request that used the cache ended without reaching <see cref="CacheFinish"/> (an error page): nothing is stored.</summary>
    private void CacheAbandon()
    {
        var state = _cache!;
        if (state.FetchOwner)
        {
            _services.Cache.Store.EndFetch(state.Key);
        }

        state.Reset();
    }

    /// <summary>The exchange is over: a fill not yet stored is (when complete); a flash fetch this request owned is ended either way.</summary>
    private void CacheFinish(in Exchange result)
    {
        var state = _cache!;
        if (state.Fill is { Complete: true } fill && result.Outcome == Outcome.Done)
        {
            Commit(state, fill);
        }

        if (state.FetchOwner)
        {
            _services.Cache.Store.EndFetch(state.Key);
        }

        state.Reset();
    }
}
