using System.Globalization;

namespace Portico.Validation;

/// <summary>
/// NORMALIZE: the same object gets the same entity tag from every member of a farm. File servers build tags from
/// per-server facts: Apache's <c>FileETag INode MTime Size</c> (Apache 2.2's default, <c>"inode-size-mtime"</c> in hex)
/// differs on every server because the inode does. In order:
/// <list type="number">
/// <item>Apache's three-part tag <c>"i-s-m"</c> (hex; weak or not; a suffix such as mod_deflate's <c>-gzip</c> or
/// mod_brotli's <c>-br</c> kept) loses its inode part: <c>"s-m"</c>, which is the tag Apache 2.4 sends by default.</item>
/// <item>A two-part hex tag (Apache 2.4's <c>"size-mtime"</c>, nginx's <c>"mtime-size"</c>) is kept: it holds no
/// per-server part, and members that agree on size and modification time agree on it.</item>
/// <item>Any other tag (IIS's <c>"hash:changenumber"</c>, whose change number is per server; an application's; a value
/// that is not a tag) is replaced by one derived from the response's size and Last-Modified when the response has
/// both (<c>W/"size-mtime"</c>, hex, seconds; weak because one-second times cannot promise identical bytes); a 304 or
/// 206 loses it (the client keeps the tag it has; a weak tag could not combine ranges anyway); anything else keeps its tag.</item>
/// </list>
/// A hash of the body would prove identity but needs the whole body before the head is sent: that is a cache's work.
/// </summary>
public static class ETagNormalization
{
    /// <summary>Normalises the member's ETag value (null: the response has none, and gets none).</summary>
    /// <param name="contentLength">The body's length when the response has a Content-Length; null otherwise.</param>
    /// <param name="lastModified">The response's Last-Modified when it is a valid HTTP date; null otherwise.</param>
    /// <param name="bodyless">A 304 or a 206: a Content-Length there is not the representation's, so no tag is derived from it.</param>
    public static NormalizedETag Normalize(string? value, long? contentLength, DateTimeOffset? lastModified, bool bodyless)
    {
        if (value is null)
        {
            return new NormalizedETag(ETagAction.Keep, null);
        }

        var valid = EntityTag.TryParseField(value, out var tag);
        if (valid)
        {
            switch (FileTag(tag.Opaque, out var withoutInode))
            {
                case Shape.ApacheWithInode:
                    return new NormalizedETag(ETagAction.Replace, tag with { Opaque = withoutInode });
                case Shape.TwoPart:
                    return new NormalizedETag(ETagAction.Keep, tag);
            }
        }

        if (contentLength is { } size && lastModified is { } modified && !bodyless)
        {
            return new NormalizedETag(ETagAction.Replace, Derived(size, modified));
        }

        return bodyless || !valid ? new NormalizedETag(ETagAction.Remove, null) : new NormalizedETag(ETagAction.Keep, tag);
    }

    /// <summary>The tag derived from a size and a modification time: <c>W/"size-mtime"</c>, hex, mtime in Unix seconds.</summary>
    public static EntityTag Derived(long size, DateTimeOffset modified) =>
        new(size.ToString("x", CultureInfo.InvariantCulture) + "-" + modified.ToUnixTimeSeconds().ToString("x", CultureInfo.InvariantCulture), Weak: true);

    private enum Shape
    {
        Other,
        TwoPart,
        ApacheWithInode,
    }

    private static Shape FileTag(string opaque, out string withoutInode)
    {
        withoutInode = opaque;
        var parts = opaque.Split('-');
        var hexParts = 0;
        while (hexParts < parts.Length && IsHex(parts[hexParts]))
        {
            hexParts++;
        }

        // What follows the hex parts may be one suffix of letters (-gzip, -br), nothing else.
        var suffixed = parts.Length == hexParts + 1 && IsSuffix(parts[hexParts]);
        if (parts.Length != hexParts && !suffixed)
        {
            return Shape.Other;
        }

        switch (hexParts)
        {
            case 3:
                withoutInode = opaque[(parts[0].Length + 1)..];
                return Shape.ApacheWithInode;
            case 2:
                return Shape.TwoPart;
            default:
                return Shape.Other;
        }
    }

    private static bool IsHex(string s) => s.Length is > 0 and <= 16 && s.All(char.IsAsciiHexDigit);

    private static bool IsSuffix(string s) => s.Length is > 0 and <= 16 && s.All(char.IsAsciiLetterLower) && !s.All(char.IsAsciiHexDigit);
}
