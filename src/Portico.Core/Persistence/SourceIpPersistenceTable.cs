using System.Collections.Concurrent;
using System.Net;

namespace Portico.Persistence;

/// <summary>
/// SOURCEIP persistence: which member each client address was last sent to, per vserver, for L4 connections,
/// UDP sessions and L7 requests alike. An entry lives for the vserver's <c>-timeout</c> after the client's last
/// connection or request (NetScaler's inactivity period); expired entries are dropped on lookup and by
/// <see cref="Sweep"/>. Reads are lock-free (a <see cref="ConcurrentDictionary{TKey,TValue}"/> read), and a
/// client that keeps its member only moves its entry's expiry in place: the accept path allocates for a new
/// client's first entry, never per connection.
/// </summary>
public sealed class SourceIpPersistenceTable(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Vserver, IPAddress Client), Entry> _entries = new();

    /// <summary>Entries in the table, expired or not.</summary>
    public int Count => _entries.Count;

    /// <summary>The member key recorded for the client, its expiry pushed back; null when none or expired.</summary>
    public string? Lookup(string vserver, IPAddress client, TimeSpan timeout)
    {
        if (!_entries.TryGetValue((vserver, client), out var e))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcTicks;
        if (now >= Volatile.Read(ref e.ExpiresTicks))
        {
            _entries.TryRemove(new KeyValuePair<(string, IPAddress), Entry>((vserver, client), e));
            return null;
        }

        Volatile.Write(ref e.ExpiresTicks, now + timeout.Ticks);
        return e.MemberKey;
    }

    /// <summary>Records that the client goes to the member for the next <paramref name="timeout"/>.</summary>
    public void Record(string vserver, IPAddress client, string memberKey, string memberName, IPEndPoint memberEndpoint, TimeSpan timeout)
    {
        var expires = time.GetUtcNow().UtcTicks + timeout.Ticks;
        if (_entries.TryGetValue((vserver, client), out var e) && string.Equals(e.MemberKey, memberKey, StringComparison.Ordinal))
        {
            Volatile.Write(ref e.ExpiresTicks, expires);
            return;
        }

        _entries[(vserver, client)] = new Entry(memberKey, memberName, memberEndpoint, expires);
    }

    /// <summary>Live entries, for <c>show lb persistentSessions</c>.</summary>
    public IEnumerable<(string Vserver, IPAddress Client, string Member, IPEndPoint Destination, TimeSpan Remaining)> Snapshot()
    {
        var now = time.GetUtcNow().UtcTicks;
        foreach (var (key, e) in _entries)
        {
            var expires = Volatile.Read(ref e.ExpiresTicks);
            if (expires > now)
            {
                yield return (key.Vserver, key.Client, e.MemberName, e.MemberEndpoint, TimeSpan.FromTicks(expires - now));
            }
        }
    }

    /// <summary>Drops every entry of <paramref name="vserver"/>, or all when null.</summary>
    public int Clear(string? vserver)
    {
        var n = 0;
        foreach (var key in _entries.Keys.Where(k => vserver is null || k.Vserver == vserver))
        {
            n += _entries.TryRemove(key, out _) ? 1 : 0;
        }

        return n;
    }

    /// <summary>Drops expired entries; returns how many.</summary>
    public int Sweep()
    {
        var now = time.GetUtcNow().UtcTicks;
        var n = 0;
        foreach (var (key, e) in _entries)
        {
            if (now >= Volatile.Read(ref e.ExpiresTicks) && _entries.TryRemove(new KeyValuePair<(string, IPAddress), Entry>(key, e)))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>One client's entry. A class, so a refresh writes its expiry in place and removal compares by reference.</summary>
    private sealed class Entry(string memberKey, string memberName, IPEndPoint memberEndpoint, long expiresTicks)
    {
        public readonly string MemberKey = memberKey;
        public readonly string MemberName = memberName;
        public readonly IPEndPoint MemberEndpoint = memberEndpoint;
        public long ExpiresTicks = expiresTicks;
    }
}
