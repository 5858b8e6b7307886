using System.Collections.Concurrent;

namespace Portico.Caching;

/// <summary>
/// The stored objects, by primary key, each with its variants (one per combination of the request fields its Vary
/// names). Lookups take no lock (a concurrent dictionary read, then an immutable object); stores, removals and
/// evictions take one lock. Memory is bounded by the whole cache's limit and each group's: a store that would pass
/// either evicts the least recently used entries (of the group, when the group's limit is the one passed) first.
/// The store outlives config changes; a change of limits applies at the next store.
/// </summary>
public sealed class CacheStore
{
    private readonly ConcurrentDictionary<string, CacheObject> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _groupBytes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Fetch> _fetches = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _clock;
    private long _bytes;
    private long _locators;

    public CacheStore(CacheCounters counters)
    {
        Counters = counters;
        Lookup = _objects.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public CacheCounters Counters { get; }

    /// <summary>Lookup by a key built on the stack (no string per request).</summary>
    public ConcurrentDictionary<string, CacheObject>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }

    public long BytesUsed => Interlocked.Read(ref _bytes);

    public long GroupBytes(string group) => _groupBytes.GetValueOrDefault(group);

    public int Count => _objects.Values.Sum(o => o.Variants.Length);

    /// <summary>Every entry, for <c>show cache object</c>.</summary>
    public IEnumerable<CacheEntry> Entries => _objects.Values.SelectMany(o => o.Variants);

    /// <summary>Marks <paramref name="entry"/> as just used (the LRU order).</summary>
    public void Touch(CacheEntry entry) => Volatile.Write(ref entry.LastUsed, Interlocked.Increment(ref _clock));

    /// <summary>
    /// Stores <paramref name="entry"/> under its key with the response's Vary names, replacing the variant with the
    /// same field values (and every variant, when the Vary names changed). False when it cannot fit at all.
    /// </summary>
    public bool Put(CacheEntry entry, string[] vary, long limitBytes, long groupLimitBytes)
    {
        var size = entry.Size;
        if (size > limitBytes || (groupLimitBytes > 0 && size > groupLimitBytes))
        {
            return false;
        }

        lock (_lock)
        {
            var existing = _objects.GetValueOrDefault(entry.Key);
            var keep = new List<CacheEntry>();
            if (existing is not null)
            {
                foreach (var v in existing.Variants)
                {
                    if (existing.Vary.SequenceEqual(vary, StringComparer.OrdinalIgnoreCase) && !SameValues(v.VaryValues, entry.VaryValues))
                    {
                        keep.Add(v);
                    }
                    else
                    {
                        Account(v, -1);
                    }
                }
            }

            entry.Locator = existing?.Variants.FirstOrDefault(v => SameValues(v.VaryValues, entry.VaryValues))?.Locator ?? Interlocked.Increment(ref _locators);
            keep.Add(entry);
            _objects[entry.Key] = new CacheObject(vary, [.. keep]);
            Account(entry, +1);
            Touch(entry);
            Interlocked.Increment(ref Counters.Stored);
            EvictOver(limitBytes, entry.Group, groupLimitBytes, entry);
            return true;
        }
    }

    /// <summary>Replaces a stored entry by its refreshed copy (a 304 from the member), if it is still there.</summary>
    public void Replace(CacheEntry old, CacheEntry refreshed)
    {
        lock (_lock)
        {
            if (_objects.GetValueOrDefault(old.Key) is not { } obj)
            {
                return;
            }

            var i = Array.IndexOf(obj.Variants, old);
            if (i < 0)
            {
                return;
            }

            refreshed.Locator = old.Locator;
            var variants = (CacheEntry[])obj.Variants.Clone();
            variants[i] = refreshed;
            _objects[old.Key] = obj with { Variants = variants };
            Touch(refreshed);
        }
    }

    /// <summary>Removes the entries <paramref name="which"/> selects; returns how many.</summary>
    public int Remove(Func<CacheEntry, bool> which)
    {
        var removed = 0;
        lock (_lock)
        {
            foreach (var (key, obj) in _objects)
            {
                if (!obj.Variants.Any(which))
                {
                    continue;
                }

                var keep = obj.Variants.Where(v => !which(v)).ToArray();
                foreach (var gone in obj.Variants.Where(which))
                {
                    Account(gone, -1);
                    removed++;
                }

                if (keep.Length == 0)
                {
                    _objects.TryRemove(key, out _);
                }
                else
                {
                    _objects[key] = obj with { Variants = keep };
                }
            }
        }

        Interlocked.Add(ref Counters.Invalidated, removed);
        return removed;
    }

    /// <summary>Removes every variant stored under <paramref name="key"/>.</summary>
    public int RemoveKey(string key)
    {
        lock (_lock)
        {
            if (!_objects.TryRemove(key, out var obj))
            {
                return 0;
            }

            foreach (var v in obj.Variants)
            {
                Account(v, -1);
            }

            Interlocked.Add(ref Counters.Invalidated, obj.Variants.Length);
            return obj.Variants.Length;
        }
    }

    /// <summary>
    /// The first miss for <paramref name="key"/> owns its fetch (returns null, then must call <see cref="EndFetch"/>);
    /// a later one gets the task the owner completes.
    /// </summary>
    public Task? BeginFetch(string key)
    {
        var mine = new Fetch();
        var fetch = _fetches.GetOrAdd(key, mine);
        return fetch == mine ? null : fetch.Done.Task;
    }

    public void EndFetch(string key)
    {
        if (_fetches.TryRemove(key, out var fetch))
        {
            fetch.Done.TrySetResult();
        }
    }

    private void EvictOver(long limitBytes, string group, long groupLimitBytes, CacheEntry keep)
    {
        while (Interlocked.Read(ref _bytes) > limitBytes || (groupLimitBytes > 0 && GroupBytes(group) > groupLimitBytes))
        {
            var overall = Interlocked.Read(ref _bytes) > limitBytes;

            // The least recently used entry (of the group, when only its own limit is passed): a scan, since stores
            // are rare next to hits and a hit then costs one counter write, not a list move under a lock.
            CacheEntry? oldest = null;
            foreach (var obj in _objects.Values)
            {
                foreach (var v in obj.Variants)
                {
                    if (v != keep && (overall || v.Group == group) && (oldest is null || Volatile.Read(ref v.LastUsed) < Volatile.Read(ref oldest.LastUsed)))
                    {
                        oldest = v;
                    }
                }
            }

            if (oldest is null)
            {
                return;
            }

            var obj2 = _objects[oldest.Key];
            var left = obj2.Variants.Where(v => v != oldest).ToArray();
            if (left.Length == 0)
            {
                _objects.TryRemove(oldest.Key, out _);
            }
            else
            {
                _objects[oldest.Key] = obj2 with { Variants = left };
            }

            Account(oldest, -1);
            Interlocked.Increment(ref Counters.Evicted);
        }
    }

    private void Account(CacheEntry e, int sign)
    {
        Interlocked.Add(ref _bytes, sign * e.Size);
        _groupBytes.AddOrUpdate(e.Group, sign * e.Size, (_, b) => b + (sign * e.Size));
    }

    private static bool SameValues(byte[]?[] a, byte[]?[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] is null != b[i] is null || (a[i] is { } x && !x.AsSpan().SequenceEqual(b[i])))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Fetch
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The variants stored under one key, and the request fields that tell them apart (the response's Vary, lowercased).</summary>
public sealed record CacheObject(string[] Vary, CacheEntry[] Variants)
{
    /// <summary>The Vary names as bytes, to compare with request fields without a conversion per hit.</summary>
    public byte[][] VaryNames { get; } = [.. Vary.Select(System.Text.Encoding.ASCII.GetBytes)];
}
