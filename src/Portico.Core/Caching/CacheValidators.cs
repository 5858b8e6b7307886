using System.Globalization;

namespace Portico.Caching;

/// <summary>
/// The validator functions the cache needs (RFC 9110 8.8 and 13.1): HTTP-date parsing and formatting, and ETag
/// comparison. Kept in this one file so they can be folded into a shared set of validator functions later.
/// </summary>
public static class CacheValidators
{
    private static readonly string[] DateFormats = ["r", "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy", "ddd MMM dd HH:mm:ss yyyy"];

    /// <summary>An HTTP-date (IMF-fixdate, and the obsolete RFC 850 and asctime forms a recipient must accept), or null.</summary>
    public static DateTimeOffset? ParseDate(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(value.Trim(), DateFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowInnerWhite, out var d) ? d : null;
    }

    public static string FormatDate(DateTimeOffset when) => when.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether an If-None-Match value matches <paramref name="etag"/> by the weak comparison RFC 9110 13.1.2
    /// requires: <c>*</c> matches any, else one of the listed tags has the same opaque value, W/ or not.
    /// </summary>
    public static bool NoneMatchHits(string ifNoneMatch, string? etag)
    {
        var list = ifNoneMatch.AsSpan().Trim();
        if (list.SequenceEqual("*"))
        {
            return etag is not null;
        }

        if (etag is null)
        {
            return false;
        }

        var mine = Opaque(etag.AsSpan());
        while (!list.IsEmpty)
        {
            list = list.TrimStart(" \t,");
            if (list.IsEmpty)
            {
                break;
            }

            var start = list.StartsWith("W/") ? 2 : 0;
            if (start >= list.Length || list[start] != '"')
            {
                return false;
            }

            var close = list[(start + 1)..].IndexOf('"');
            if (close < 0)
            {
                return false;
            }

            var tag = list[..(start + close + 2)];
            if (Opaque(tag).SequenceEqual(mine))
            {
                return true;
            }

            list = list[tag.Length..];
        }

        return false;
    }

    /// <summary>If-Modified-Since holds: the stored Last-Modified is not later than the client's date.</summary>
    public static bool NotModifiedSince(string ifModifiedSince, DateTimeOffset? lastModified) =>
        lastModified is { } lm && ParseDate(ifModifiedSince) is { } since && lm <= since;

    private static ReadOnlySpan<char> Opaque(ReadOnlySpan<char> tag) => tag.StartsWith("W/") ? tag[2..] : tag;
}
