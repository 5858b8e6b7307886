using System.Globalization;

namespace Portico.Validation;

/// <summary>The fields expiry sets: the whole new Cache-Control value and the Expires date.</summary>
public readonly record struct ExpiryChange(string CacheControl, string Expires);

/// <summary>
/// Decides the expiry fields of one response (<c>-expires</c>): <c>Cache-Control: max-age=N</c>, merged into the
/// member's Cache-Control, and <c>Expires</c> (now + N, IMF-fixdate) replacing the member's. The member's word wins:
/// nothing changes when its Cache-Control says <c>no-store</c>, <c>private</c> or already has a <c>max-age</c>. Only
/// successful and permanent answers get expiry: 200, 203, 204, 206, 301 and 304 (a 304 renews the freshness of the
/// client's copy, RFC 9111 section 4.3.4); errors and temporary redirects never do.
/// </summary>
public static class Expiry
{
    /// <summary>The change for a response, or null when none applies.</summary>
    /// <param name="cacheControl">The member's Cache-Control fields, joined by commas; null when none.</param>
    /// <param name="contentType">The response's Content-Type (for a 304 Portico makes, the 200's); null when none.</param>
    public static ExpiryChange? Decide(ExpiryRules rules, int status, string? cacheControl, string? contentType, DateTimeOffset now)
    {
        if (status is not (200 or 203 or 204 or 206 or 301 or 304) || rules.For(contentType) is not { } lifetime)
        {
            return null;
        }

        if (cacheControl is not null && Forbids(cacheControl))
        {
            return null;
        }

        var seconds = (long)lifetime.TotalSeconds;
        var maxAge = "max-age=" + seconds.ToString(CultureInfo.InvariantCulture);
        var merged = string.IsNullOrWhiteSpace(cacheControl) ? maxAge : cacheControl.Trim().TrimEnd(',') + ", " + maxAge;
        return new ExpiryChange(merged, HttpDate.Format(now + lifetime));
    }

    /// <summary>True when a directive of the member's Cache-Control rules expiry out (no-store, private, max-age).</summary>
    public static bool Forbids(string cacheControl)
    {
        foreach (var part in cacheControl.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq].TrimEnd();
            if (name.Equals("no-store", StringComparison.OrdinalIgnoreCase) || name.Equals("private", StringComparison.OrdinalIgnoreCase)
                || name.Equals("max-age", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
