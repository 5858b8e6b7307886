using System.Collections.Concurrent;

namespace Portico.Geo;

/// <summary>
/// Opens database files once per version: a config change that keeps the same file reuses the open
/// database; a file replaced on disk (a new monthly GeoLite2) is opened again by the next
/// <c>set ns geoip</c> or reload. Older versions are not disposed, since a running ACL table may still
/// read them; they are released once nothing refers to them.
/// </summary>
public sealed class GeoDatabases
{
    private readonly ConcurrentDictionary<string, GeoDatabase> _open = new(StringComparer.Ordinal);

    /// <summary>The open database of <paramref name="path"/>; throws <see cref="GeoDatabaseException"/>.</summary>
    public GeoDatabase Open(string path)
    {
        var info = new FileInfo(path);
        var stamp = info.Exists ? $"{info.FullName}@{info.LastWriteTimeUtc.Ticks}:{info.Length}" : path;
        if (_open.TryGetValue(stamp, out var db))
        {
            return db;
        }

        db = GeoDatabase.Open(path);
        foreach (var old in _open.Keys.Where(k => k.StartsWith(info.FullName + "@", StringComparison.Ordinal)))
        {
            _open.TryRemove(old, out _);
        }

        return _open.GetOrAdd(stamp, db);
    }
}
