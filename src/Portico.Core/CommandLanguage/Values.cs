using System.Globalization;
using System.Net;

namespace Portico.CommandLanguage;

/// <summary>The value parsers shared by every command: names, numbers, ports, addresses, switches.</summary>
public static class Values
{
    /// <summary>NetScaler's rule for entity names: start with a letter, digit or underscore; then letters,
    /// digits and <c>_ # . : @ = -</c> or a blank (inside quotes).</summary>
    public static readonly ValueParser Name = words =>
    {
        ExpectCount(words, 1, 1);
        var text = words[0].Text;
        if (text.Length == 0 || text.Length > 127 || !(char.IsAsciiLetterOrDigit(text[0]) || text[0] == '_'))
        {
            throw new ValueException(0, "expected a name of 1 to 127 characters starting with a letter, digit or _");
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '#' or '.' or ':' or '@' or '=' or '-' or ' '))
            {
                throw new ValueException(0, $"the character '{c}' is not allowed in a name");
            }
        }

        return text;
    };

    /// <summary>Any single word, kept as written.</summary>
    public static readonly ValueParser Text = words =>
    {
        ExpectCount(words, 1, 1);
        return words[0].Text;
    };

    /// <summary>Any number of words, kept as written (for a last positional that takes the rest).</summary>
    public static readonly ValueParser Words = words => words.Select(w => w.Text).ToList();

    /// <summary>An IPv4 or IPv6 address.</summary>
    public static readonly ValueParser Ip = words =>
    {
        ExpectCount(words, 1, 1);
        return IPAddress.TryParse(words[0].Text, out var ip) && LooksLikeAddress(words[0].Text)
            ? ip
            : throw new ValueException(0, "expected an IPv4 or IPv6 address");
    };

    /// <summary>A port 0..65535, or <c>*</c> for any port (stored as 0 meaning "any").</summary>
    public static readonly ValueParser Port = words =>
    {
        ExpectCount(words, 1, 1);
        if (words[0].Text == "*")
        {
            return 0;
        }

        return int.TryParse(words[0].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535
            ? p
            : throw new ValueException(0, "expected a port number 0..65535 or *");
    };

    public static readonly ValueParser YesNo = Switch("YES", "NO");

    public static readonly ValueParser EnabledDisabled = Switch("ENABLED", "DISABLED");

    /// <summary>A parameter written with no value, like <c>-established</c>.</summary>
    public static readonly ValueParser Flag = words =>
    {
        ExpectCount(words, 0, 0);
        return true;
    };

    /// <summary>An integer within bounds.</summary>
    public static ValueParser Int(long min, long max) => words =>
    {
        ExpectCount(words, 1, 1);
        return long.TryParse(words[0].Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ValueException(0, $"expected a whole number from {min} to {max}");
    };

    /// <summary>Two words meaning on and off; parsed to a bool.</summary>
    public static ValueParser Switch(string on, string off) => words =>
    {
        ExpectCount(words, 1, 1);
        var w = words[0].Text;
        if (w.Equals(on, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return w.Equals(off, StringComparison.OrdinalIgnoreCase)
            ? false
            : throw new ValueException(0, $"expected {on} or {off}");
    };

    /// <summary>Throws unless the parameter got between <paramref name="min"/> and <paramref name="max"/> words.</summary>
    public static void ExpectCount(IReadOnlyList<Token> words, int min, int max)
    {
        if (words.Count < min)
        {
            throw new ValueException(-1, min == 1 ? "a value is required" : $"expected {min} values");
        }

        if (words.Count > max)
        {
            throw new ValueException(max, max == 0 ? "this option takes no value" : "unexpected extra value");
        }
    }

    // IPAddress.TryParse accepts "1" or "10.1" as shorthand; an operator never means those.
    private static bool LooksLikeAddress(string text) =>
        text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3;
}
