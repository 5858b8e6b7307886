namespace Portico.Caching;

/// <summary>
/// An object's primary key: its group, the request's host (lowercased, as hosts compare) and path, and its query, or
/// only the group's hit parameters from it in the group's order (with <c>-ignoreParamValueCase</c>, their values
/// lowercased). Built on the stack from the request's bytes: a hit allocates no key.
/// </summary>
public static class CacheKeys
{
    /// <summary>Longest key Portico builds; a longer URL is not cached.</summary>
    public const int MaxLength = 2048;

    /// <summary>Writes the key into <paramref name="key"/>; returns its length, or -1 when it does not fit.</summary>
    public static int Build(Span<char> key, string group, ReadOnlySpan<byte> host, ReadOnlySpan<byte> pathAndQuery, CacheGroupSettings settings)
    {
        var n = 0;
        if (group.Length + host.Length + 2 > key.Length)
        {
            return -1;
        }

        group.AsSpan().CopyTo(key);
        n += group.Length;
        key[n++] = '\n';
        foreach (var b in host)
        {
            key[n++] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b);
        }

        key[n++] = '\n';
        var q = pathAndQuery.IndexOf((byte)'?');
        var path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        if (path.IsEmpty)
        {
            path = "/"u8;
        }

        if (settings.HitParams.Length == 0)
        {
            var rest = q < 0 ? path : pathAndQuery;
            return Append(key, ref n, rest, false) ? n : -1;
        }

        if (!Append(key, ref n, path, false))
        {
            return -1;
        }

        var query = q < 0 ? default : pathAndQuery[(q + 1)..];
        foreach (var name in settings.HitParams)
        {
            if (n + name.Length + 2 > key.Length)
            {
                return -1;
            }

            key[n++] = '?';
            name.AsSpan().CopyTo(key[n..]);
            n += name.Length;
            key[n++] = '=';
            if (Param(query, name) is { } range && !Append(key, ref n, query[range], settings.IgnoreParamValueCase))
            {
                return -1;
            }
        }

        return n;
    }

    /// <summary>The key as a string (for a store).</summary>
    public static string? Of(string group, ReadOnlySpan<byte> host, ReadOnlySpan<byte> pathAndQuery, CacheGroupSettings settings)
    {
        Span<char> key = stackalloc char[MaxLength];
        var n = Build(key, group, host, pathAndQuery, settings);
        return n < 0 ? null : new string(key[..n]);
    }

    private static bool Append(Span<char> key, ref int n, ReadOnlySpan<byte> bytes, bool lower)
    {
        if (n + bytes.Length > key.Length)
        {
            return false;
        }

        foreach (var b in bytes)
        {
            key[n++] = (char)(lower && b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b);
        }

        return true;
    }

    /// <summary>The value range of the first query parameter named <paramref name="name"/>, or null.</summary>
    private static Range? Param(ReadOnlySpan<byte> query, string name)
    {
        var at = 0;
        while (at <= query.Length)
        {
            var end = query[at..].IndexOf((byte)'&');
            var part = end < 0 ? query[at..] : query.Slice(at, end);
            var eq = part.IndexOf((byte)'=');
            var key = eq < 0 ? part : part[..eq];
            if (key.Length == name.Length && System.Text.Ascii.Equals(key, name))
            {
                return eq < 0 ? new Range(at + part.Length, at + part.Length) : new Range(at + eq + 1, at + part.Length);
            }

            if (end < 0)
            {
                break;
            }

            at += end + 1;
        }

        return null;
    }
}
