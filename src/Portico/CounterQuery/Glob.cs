using System.Text.RegularExpressions;

namespace Portico.CounterQuery;

/// <summary>Counter and entity patterns: <c>*</c> and <c>?</c> globs, else a substring (counters) or an exact name (entities); case-insensitive.</summary>
internal static class Glob
{
    public static bool Matches(string pattern, string text, bool substring)
    {
        if (!pattern.Contains('*') && !pattern.Contains('?'))
        {
            return substring ? text.Contains(pattern, StringComparison.OrdinalIgnoreCase) : text.Equals(pattern, StringComparison.OrdinalIgnoreCase);
        }

        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(text, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
