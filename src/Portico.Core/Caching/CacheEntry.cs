namespace Portico.Caching;

/// <summary>
/// One stored response (one variant of one object). Its head is kept ready to send: the status line and fields as
/// the client gets them, less Age, Date and Connection, which each answer writes itself; the body is one shared
/// array that hits write straight to the socket. An entry never changes once stored (a revalidation stores a
/// fresh copy sharing the same arrays), so a hit reads it without a lock.
/// </summary>
public sealed class CacheEntry
{
    public required string Group { get; init; }

    /// <summary>The object's primary key (group, host, path and the query or its hit parameters).</summary>
    public required string Key { get; init; }

    public required string Host { get; init; }

    public required string Url { get; init; }

    /// <summary>The request field values of the response's Vary names (null where the request had none).</summary>
    public required byte[]?[] VaryValues { get; init; }

    /// <summary>Status line and fields of the 200 (or other stored status), Content-Length included, no final CRLF.</summary>
    public required byte[] Head { get; init; }

    /// <summary>The head of a 304 answered from this entry: the status line and the fields RFC 9110 15.4.5 keeps.</summary>
    public required byte[] NotModifiedHead { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    public required int Status { get; init; }

    /// <summary>The entry's ETag value as sent (quotes and W/ included), or null.</summary>
    public string? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    /// <summary>When the response arrived (UTC ticks).</summary>
    public required long ResponseTime { get; init; }

    /// <summary>Its age when it arrived, in seconds (RFC 9111 4.2.3 corrected_initial_age).</summary>
    public required long InitialAge { get; init; }

    /// <summary>How long it is fresh from <see cref="ResponseTime"/> less its initial age (RFC 9111 4.2.1), in milliseconds.</summary>
    public required long LifetimeMs { get; init; }

    /// <summary>Number that names it for <c>show|flush cache object -locator</c>.</summary>
    public long Locator { get; set; }

    /// <summary>Answers served from it (including its earlier copies before a revalidation).</summary>
    public long Hits;

    /// <summary>The store's use clock when it was last served or stored: the least recent goes first.</summary>
    public long LastUsed;

    /// <summary>Bytes it holds, counted against the limits.</summary>
    public long Size => Head.Length + NotModifiedHead.Length + Body.Length + Overhead;

    /// <summary>What an entry costs beyond its bytes (the object, its key and strings), so many tiny ones still count.</summary>
    public const int Overhead = 256;

    /// <summary>Its age now, in seconds (RFC 9111 4.2.3 current_age).</summary>
    public long AgeSeconds(long nowTicks) => InitialAge + Math.Max(0, (nowTicks - ResponseTime) / TimeSpan.TicksPerSecond);

    /// <summary>Whether it is still fresh at <paramref name="nowTicks"/>.</summary>
    public bool IsFresh(long nowTicks) => (InitialAge * 1000) + ((nowTicks - ResponseTime) / TimeSpan.TicksPerMillisecond) < LifetimeMs;

    /// <summary>When it stops being fresh (UTC ticks).</summary>
    public long ExpiresTicks => ResponseTime + ((LifetimeMs - (InitialAge * 1000)) * TimeSpan.TicksPerMillisecond);

    public bool HasValidators => ETag is not null || LastModified is not null;

    /// <summary>A copy with a new arrival time and lifetime, the bytes shared: what a 304 from the member makes of it.</summary>
    public CacheEntry Refreshed(long responseTime, long initialAge, long lifetimeMs) => new()
    {
        Group = Group, Key = Key, Host = Host, Url = Url, VaryValues = VaryValues, Head = Head, NotModifiedHead = NotModifiedHead, Body = Body,
        Status = Status, ETag = ETag, LastModified = LastModified, ResponseTime = responseTime, InitialAge = initialAge, LifetimeMs = lifetimeMs,
        Hits = Interlocked.Read(ref Hits),
    };
}
