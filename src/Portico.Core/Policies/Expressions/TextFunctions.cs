using System.Buffers;
using System.Globalization;

namespace Portico.Policies.Expressions;

/// <summary>Functions of text values. Comparisons follow the receiver's text mode (<c>SET_TEXT_MODE</c>).</summary>
internal static class TextFunctions
{
    public static readonly string[] Names =
    [
        "EQ", "NE", "CONTAINS", "STARTSWITH", "ENDSWITH", "REGEX_MATCH", "REGEX_SELECT", "SET_TEXT_MODE", "TO_LOWER", "TO_UPPER",
        "LENGTH", "BEFORE_STR", "AFTER_STR", "EXISTS", "TYPECAST_NUM_T", "TYPECAST_TEXT_T", "CONTAINS_ANY", "EQUALS_ANY",
        "STARTSWITH_ANY", "ENDSWITH_ANY", "HTTP_URL_SAFE", "HTTP_HEADER_SAFE",
    ];

    public static Node? Apply(ExpressionParser p, Node receiver, string name, string path)
    {
        var f = receiver.Text;
        var cmp = receiver.Comparison;
        switch (name)
        {
            case "EQ" or "NE" or "CONTAINS" or "STARTSWITH" or "ENDSWITH":
                return Compare(p, receiver, name, path);
            case "EXISTS":
                Arguments.None(p);
                return Node.Of(r => f(r) is not null, path);
            case "LENGTH":
                Arguments.None(p);
                return Node.Of(r => (long)(f(r)?.Length ?? 0), path);
            case "TO_LOWER":
                Arguments.None(p);
                return receiver with { Fn = (Func<IPolicyRequest, string?>)(r => f(r)?.ToLowerInvariant()), Path = path, Constant = null };
            case "TO_UPPER":
                Arguments.None(p);
                return receiver with { Fn = (Func<IPolicyRequest, string?>)(r => f(r)?.ToUpperInvariant()), Path = path, Constant = null };
            case "TYPECAST_TEXT_T":
                Arguments.None(p);
                return receiver with { Path = path };
            case "SET_TEXT_MODE":
                var mode = Arguments.Word(p, path, "IGNORECASE", "NOIGNORECASE");
                return receiver with { IgnoreCase = mode == "IGNORECASE", Path = path };
            case "BEFORE_STR" or "AFTER_STR":
                return Around(p, receiver, name, path);
            case "REGEX_MATCH":
                var re = Arguments.Regex(p, path, receiver.IgnoreCase);
                return Node.Of(r => Guard(() => re.IsMatch(f(r) ?? "")), path);
            case "REGEX_SELECT":
                var select = Arguments.Regex(p, path, receiver.IgnoreCase);
                return Node.Of(r => Guard(() => select.Match(f(r) ?? "") is { Success: true } m ? m.Value : null), path);
            case "HTTP_URL_SAFE":
                // What a redirect may carry in its Location: everything outside RFC 3986's characters percent-encoded.
                Arguments.None(p);
                return receiver with { Fn = (Func<IPolicyRequest, string?>)(r => f(r) is { } s ? UrlSafe(s) : null), Path = path, Constant = null };
            case "HTTP_HEADER_SAFE":
                // A value that cannot end the field or the head: CR, LF and other controls percent-encoded.
                Arguments.None(p);
                return receiver with { Fn = (Func<IPolicyRequest, string?>)(r => f(r) is { } s ? HeaderSafe(s) : null), Path = path, Constant = null };
            case "TYPECAST_NUM_T":
                Arguments.None(p);
                return Node.Of(r => ToNumber(f(r)), path);
            case "CONTAINS_ANY" or "EQUALS_ANY" or "STARTSWITH_ANY" or "ENDSWITH_ANY":
                return AnyOf(p, receiver, name, path);
            default:
                return null;
        }
    }

    private static Node Compare(ExpressionParser p, Node receiver, string name, string path)
    {
        var f = receiver.Text;
        var cmp = receiver.Comparison;
        Arguments.Open(p, path);
        // NetScaler writes methods and other enumerations bare: HTTP.REQ.METHOD.EQ(GET).
        var arg = Arguments.Text(p, path, wordsAreText: true);
        Arguments.Close(p, path);
        Func<string, string, bool> test = name switch
        {
            "EQ" => (a, b) => string.Equals(a, b, cmp),
            "NE" => (a, b) => !string.Equals(a, b, cmp),
            "CONTAINS" => (a, b) => a.Contains(b, cmp),
            "STARTSWITH" => (a, b) => a.StartsWith(b, cmp),
            _ => (a, b) => a.EndsWith(b, cmp),
        };

        if (arg.Constant is string literal)
        {
            return name switch
            {
                "EQ" => Node.Of(r => string.Equals(f(r) ?? "", literal, cmp), path) with
                {
                    HostEquals = ReferenceEquals(receiver.Fn, Roots.HostName) ? new HostEquality(literal, cmp) : null,
                },
                "CONTAINS" => Node.Of(r => (f(r) ?? "").Contains(literal, cmp), path),
                "STARTSWITH" => Node.Of(r => (f(r) ?? "").StartsWith(literal, cmp), path),
                _ => Node.Of(r => test(f(r) ?? "", literal), path),
            };
        }

        var g = arg.Text;
        return arg.Derive(Node.Of(r => test(f(r) ?? "", g(r) ?? ""), path));
    }

    private static Node Around(ExpressionParser p, Node receiver, string name, string path)
    {
        var f = receiver.Text;
        var cmp = receiver.Comparison;
        var marker = Arguments.LiteralText(p, path, "the text to look for");
        return receiver with
        {
            Path = path,
            Constant = null,
            Fn = name == "BEFORE_STR"
                ? (Func<IPolicyRequest, string?>)(r => f(r) is { } s && s.IndexOf(marker, cmp) is >= 0 and var i ? s[..i] : null)
                : (Func<IPolicyRequest, string?>)(r => f(r) is { } s && s.IndexOf(marker, cmp) is >= 0 and var i ? s[(i + marker.Length)..] : null),
        };
    }

    /// <summary>The pattern set is read when compiled; binding a pattern recompiles the policies that use it.</summary>
    private static Node AnyOf(ExpressionParser p, Node receiver, string name, string path)
    {
        var f = receiver.Text;
        var cmp = receiver.Comparison;
        var at = p.Current;
        var set = Arguments.LiteralText(p, path, "the name of a pattern set (add policy patset)");
        if (!p.Context.Patsets.TryGetValue(set, out var patterns))
        {
            throw new ExpressionException(at.Column + 1, $"no policy patset '{set}' (add policy patset {set} first)");
        }

        var list = patterns.ToArray();
        switch (name)
        {
            case "CONTAINS_ANY":
                if (list.Length == 0)
                {
                    return Node.Of(_ => false, path);
                }

                // One pass over the text for all patterns, whatever their number.
                var search = SearchValues.Create(list, cmp);
                return Node.Of(r => (f(r) ?? "").AsSpan().ContainsAny(search), path);
            case "EQUALS_ANY":
                var exact = list.ToHashSet(receiver.IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
                return Node.Of(r => exact.Contains(f(r) ?? ""), path);
            case "STARTSWITH_ANY":
                return Node.Of(r => f(r) is { } s && list.Any(x => s.StartsWith(x, cmp)), path);
            default:
                return Node.Of(r => f(r) is { } s && list.Any(x => s.EndsWith(x, cmp)), path);
        }
    }

    private static string UrlSafe(string s) => Encode(s, c => c > 0x20 && c < 0x7F && c is not ('"' or '<' or '>' or '\\' or '^' or '`' or '{' or '|' or '}'));

    private static string HeaderSafe(string s) => Encode(s, c => c >= 0x20 && c != 0x7F);

    private static string Encode(string s, Func<char, bool> keep)
    {
        if (s.All(keep))
        {
            return s;
        }

        var sb = new System.Text.StringBuilder(s.Length + 8);
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(s))
        {
            if (b < 0x80 && keep((char)b))
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static long ToNumber(string? s) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new UndefinedValueException($"TYPECAST_NUM_T of '{s}': not a number");

    private static T Guard<T>(Func<T> match)
    {
        try
        {
            return match();
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            throw new UndefinedValueException($"the regex ran longer than {Arguments.RegexTimeout.TotalMilliseconds} ms");
        }
    }
}
