using System.Globalization;

namespace Portico.Caching;

/// <summary>The fields of a response that decide whether and how long it may be stored (RFC 9111 3, 4.2).</summary>
public readonly record struct ResponseFacts(int Status, string? CacheControl, string? Expires, string? Date, string? LastModified, string? Age, string? Pragma);

/// <summary>Whether a response may be stored, and for how long it is fresh.</summary>
public static class Freshness
{
    /// <summary>Statuses a response may be stored with (heuristically cacheable, RFC 9110 15.1); 206 is left out (no ranges kept).</summary>
    public static bool CacheableStatus(int status) => status is 200 or 203 or 204 or 300 or 301 or 308 or 404 or 405 or 410 or 414 or 501;

    /// <summary>
    /// The response's freshness lifetime in milliseconds (RFC 9111 4.2.1): the group's forced expiry, else
    /// s-maxage, max-age, Expires minus Date, else the group's heuristic share of the time since Last-Modified;
    /// null when nothing gives one. <c>no-cache</c> makes it 0 (stored, revalidated on every use).
    /// </summary>
    public static long? LifetimeMs(in ResponseFacts r, CacheGroupSettings group, DateTimeOffset now)
    {
        if (group.ForcedLifetimeMs is { } forced)
        {
            return forced;
        }

        var cc = r.CacheControl;
        if (Has(cc, "no-cache"))
        {
            return 0;
        }

        if (Seconds(cc, "s-maxage") is { } shared)
        {
            return shared * 1000;
        }

        if (Seconds(cc, "max-age") is { } max)
        {
            return max * 1000;
        }

        if (r.Expires is { } expires)
        {
            // An invalid Expires (such as 0) means already expired (RFC 9111 5.3).
            var at = Validation.HttpDate.Parse(expires, now);
            var date = Validation.HttpDate.Parse(r.Date, now) ?? now;
            return at is { } e ? Math.Max(0, (long)(e - date).TotalMilliseconds) : 0;
        }

        if (group.HeuristicPercent > 0 && Validation.HttpDate.Parse(r.LastModified, now) is { } modified)
        {
            var date = Validation.HttpDate.Parse(r.Date, now) ?? now;
            return Math.Max(0, (long)((date - modified).TotalMilliseconds * group.HeuristicPercent / 100));
        }

        return null;
    }

    /// <summary>Why a shared cache must not store the response, or null (RFC 9111 3: no-store, private).</summary>
    public static string? Forbids(in ResponseFacts r) =>
        Has(r.CacheControl, "no-store") ? "Cache-Control: no-store"
        : Has(r.CacheControl, "private") ? "Cache-Control: private"
        : null;

    /// <summary>The response's age when it arrived (RFC 9111 4.2.3: corrected_initial_age, without the request delay).</summary>
    public static long InitialAge(in ResponseFacts r, DateTimeOffset now)
    {
        var ageValue = long.TryParse(r.Age, NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : 0;
        var apparent = Validation.HttpDate.Parse(r.Date, now) is { } d ? Math.Max(0, (long)(now - d).TotalSeconds) : 0;
        return Math.Max(apparent, ageValue);
    }

    /// <summary>Whether the request asks not to be answered from a stored object without revalidation (no-cache, max-age=0, Pragma).</summary>
    public static bool RequestWantsRevalidation(string? cacheControl, string? pragma) =>
        Has(cacheControl, "no-cache") || Seconds(cacheControl, "max-age") == 0 || (cacheControl is null && Has(pragma, "no-cache"));

    /// <summary>Whether a directive is in a Cache-Control value (with or without an argument).</summary>
    public static bool Has(string? value, string directive)
    {
        if (value is null)
        {
            return false;
        }

        foreach (var part in value.Split(','))
        {
            var p = part.AsSpan().Trim();
            var eq = p.IndexOf('=');
            if ((eq < 0 ? p : p[..eq].TrimEnd()).Equals(directive, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A directive's delta-seconds argument, or null.</summary>
    public static long? Seconds(string? value, string directive)
    {
        if (value is null)
        {
            return null;
        }

        foreach (var part in value.Split(','))
        {
            var p = part.AsSpan().Trim();
            var eq = p.IndexOf('=');
            if (eq > 0 && p[..eq].TrimEnd().Equals(directive, StringComparison.OrdinalIgnoreCase))
            {
                var arg = p[(eq + 1)..].Trim().Trim('"');
                return long.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
            }
        }

        return null;
    }
}
