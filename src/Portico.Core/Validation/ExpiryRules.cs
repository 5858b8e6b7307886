using System.Globalization;

namespace Portico.Validation;

/// <summary>
/// The short form of expiry headers (<c>-expires</c> of an HTTP profile): media types and how long responses of
/// each stay fresh, <c>"text/css=1y,application/javascript=1y,image/*=30d,*/*=1h"</c>. A type matches without its
/// parameters and case; an exact type wins over <c>type/*</c>, which wins over <c>*/*</c> (Apache's ExpiresByType
/// before ExpiresDefault). Lifetimes are a number with a unit: <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>, <c>w</c>,
/// <c>y</c> (365 days), or bare seconds.
/// </summary>
public sealed class ExpiryRules
{
    /// <summary>Entries in one value; more is refused (no site has that many kinds of content).</summary>
    public const int MaxEntries = 64;

    /// <summary>The longest lifetime: max-age is a 31-bit number (RFC 9111 section 1.2.2).</summary>
    public const long MaxSeconds = int.MaxValue;

    private readonly Dictionary<string, long> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _major = new(StringComparer.OrdinalIgnoreCase);
    private long? _any;

    private ExpiryRules(string text) => Text = text;

    /// <summary>The value as written (entries trimmed), for <c>save config</c>.</summary>
    public string Text { get; }

    /// <summary>Parses the value; a <see cref="FormatException"/> names the entry that is wrong and why.</summary>
    public static ExpiryRules Parse(string text)
    {
        var entries = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
        {
            throw new FormatException("no entry: expected type=lifetime, e.g. \"text/css=1y,image/*=30d\"");
        }

        if (entries.Length > MaxEntries)
        {
            throw new FormatException($"{entries.Length} entries, at most {MaxEntries}");
        }

        var rules = new ExpiryRules(string.Join(',', entries));
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"entry '{entry}': expected type=lifetime");
            }

            var type = entry[..eq].Trim();
            var seconds = Lifetime(entry, entry[(eq + 1)..].Trim());
            var slash = type.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == type.Length - 1 || !IsToken(type[..slash]) || !IsToken(type[(slash + 1)..]) || (type[..slash] == "*" && type != "*/*"))
            {
                throw new FormatException($"entry '{entry}': '{type}' is not a media type (type/subtype, type/* or */*)");
            }

            var added = type == "*/*" ? rules._any is null && (rules._any = seconds) is not null
                : type.EndsWith("/*", StringComparison.Ordinal) ? rules._major.TryAdd(type[..slash], seconds)
                : rules._exact.TryAdd(type, seconds);
            if (!added)
            {
                throw new FormatException($"entry '{entry}': '{type}' is listed twice");
            }
        }

        return rules;
    }

    /// <summary>The lifetime for a response's Content-Type value (null: no Content-Type, or no entry covers it).</summary>
    public TimeSpan? For(string? contentType)
    {
        if (contentType is null)
        {
            return _any is { } any ? TimeSpan.FromSeconds(any) : null;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var type = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        if (_exact.TryGetValue(type, out var s))
        {
            return TimeSpan.FromSeconds(s);
        }

        var slash = type.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && _major.TryGetValue(type[..slash], out s))
        {
            return TimeSpan.FromSeconds(s);
        }

        return _any is { } a ? TimeSpan.FromSeconds(a) : null;
    }

    public override string ToString() => Text;

    private static long Lifetime(string entry, string text)
    {
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 's';
        var digits = char.IsAsciiLetter(text.Length > 0 ? text[^1] : '0') ? text[..^1] : text;
        long factor = unit switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            'w' => 7 * 86400,
            'y' => 365 * 86400,
            _ => 0,
        };
        if (factor == 0 || digits.Length is 0 or > 10 || !digits.All(char.IsAsciiDigit))
        {
            throw new FormatException($"entry '{entry}': '{text}' is not a lifetime (a number with s, m, h, d, w or y)");
        }

        var n = long.Parse(digits, CultureInfo.InvariantCulture) * factor;
        if (n > MaxSeconds)
        {
            throw new FormatException($"entry '{entry}': '{text}' is more than {MaxSeconds} seconds");
        }

        return n;
    }

    private static bool IsToken(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}
