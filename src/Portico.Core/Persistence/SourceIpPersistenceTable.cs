using System.Collections.Concurrent;
using System.Net;

namespace Portico.Persistence;

/// <summary>
/// SOURCEIP persistence: which member each client address was last sent to, per vserver. An entry
/// lives for the vserver's <c>-timeout</c> after the client's last request (NetScaler's inactivity
/// period); expired entries are dropped on lookup and by <see cref="Sweep"/>.
/// </summary>
public sealed class SourceIpPersistenceTable(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Vserver, IPAddress Client), Entry> _entries = new();

    /// <summary>Entries in the table, expired or not.</summary>
    public int Count => _entries.Count;

    /// <summary>The member key recorded for the client, refreshed; null when none or expired.</summary>
    public string? Lookup(string vserver, IPAddress client, TimeSpan timeout)
    {
        if (!_entries.TryGetValue((vserver, client), out var e))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now >= e.Expires)
        {
            _entries.TryRemove(new KeyValuePair<(string, IPAddress), Entry>((vserver, client), e));
            return null;
        }

        // Refreshing costs an allocation; do it only when a tenth of the timeout has passed.
        if (e.Expires - now < timeout - (timeout / 10))
        {
            _entries[(vserver, client)] = e with { Expires = now + timeout };
        }

        return e.MemberKey;
    }

    /// <summary>Records that the client's requests go to the member for the next <paramref name="timeout"/>.</summary>
    public void Record(string vserver, IPAddress client, string memberKey, string memberName, TimeSpan timeout) =>
        _entries[(vserver, client)] = new Entry(memberKey, memberName, time.GetUtcNow() + timeout);

    /// <summary>Live entries, for <c>show lb persistentSessions</c>.</summary>
    public IEnumerable<(string Vserver, IPAddress Client, string Member, TimeSpan Remaining)> Snapshot()
    {
        var now = time.GetUtcNow();
        return _entries.Where(e => e.Value.Expires > now)
            .Select(e => (e.Key.Vserver, e.Key.Client, e.Value.MemberName, e.Value.Expires - now));
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
        var now = time.GetUtcNow();
        var n = 0;
        foreach (var (key, e) in _entries)
        {
            if (now >= e.Expires && _entries.TryRemove(new KeyValuePair<(string, IPAddress), Entry>(key, e)))
            {
                n++;
            }
        }

        return n;
    }

    private sealed record Entry(string MemberKey, string MemberName, DateTimeOffset Expires);
}
