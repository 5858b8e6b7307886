using System.Text;

namespace Portico.Policies.Expressions;

/// <summary>
/// Splits an advanced policy expression into words. Strict and bounded: at most <see cref="MaxLength"/>
/// characters (NetScaler's limit for a rule), every literal closed, every character accounted for.
/// Literals: <c>"..."</c> with <c>\"</c> and <c>\\</c> escapes, <c>q{...}</c> / <c>q|...|</c> (and the other
/// NetScaler delimiters) unescaped, regexes <c>re!...!</c>, <c>re/.../</c>, <c>re#...#</c>; addresses and
/// subnets unquoted (<c>10.0.0.0/8</c>), as NetScaler writes them in <c>IN_SUBNET</c>.
/// </summary>
internal static class ExpressionLexer
{
    public const int MaxLength = 8191;

    private static readonly Dictionary<char, char> Delimiters = new()
    {
        ['{'] = '}', ['['] = ']', ['('] = ')', ['<'] = '>',
        ['|'] = '|', ['/'] = '/', ['!'] = '!', ['~'] = '~', ['#'] = '#', ['%'] = '%', ['@'] = '@', ['^'] = '^',
    };

    public static List<ExpressionToken> Lex(string text)
    {
        if (text.Length > MaxLength)
        {
            throw new ExpressionException(MaxLength + 1, $"the expression is {text.Length} characters long; at most {MaxLength} are allowed");
        }

        var tokens = new List<ExpressionToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new(ExpressionTokenKind.End, "", text.Length + 1));
                return tokens;
            }

            var start = i;
            var c = text[i];
            var col = start + 1;
            switch (c)
            {
                case '.': tokens.Add(new(ExpressionTokenKind.Dot, ".", col)); i++; continue;
                case ',': tokens.Add(new(ExpressionTokenKind.Comma, ",", col)); i++; continue;
                case '(': tokens.Add(new(ExpressionTokenKind.Open, "(", col)); i++; continue;
                case ')': tokens.Add(new(ExpressionTokenKind.Close, ")", col)); i++; continue;
                case '+': tokens.Add(new(ExpressionTokenKind.Plus, "+", col)); i++; continue;
                case '!': tokens.Add(new(ExpressionTokenKind.Not, "!", col)); i++; continue;
                case '&' or '|':
                    if (i + 1 < text.Length && text[i + 1] == c)
                    {
                        tokens.Add(new(c == '&' ? ExpressionTokenKind.And : ExpressionTokenKind.Or, new string(c, 2), col));
                        i += 2;
                        continue;
                    }

                    throw new ExpressionException(col, $"'{c}' alone: expected '{c}{c}'");
                case '"':
                    tokens.Add(new(ExpressionTokenKind.Text, Quoted(text, ref i), col));
                    continue;
                case '\'':
                    // NetScaler's character literal, as in SUFFIX('.', 0).
                    if (i + 2 < text.Length && text[i + 2] == '\'')
                    {
                        tokens.Add(new(ExpressionTokenKind.Text, text[(i + 1)..(i + 2)], col));
                        i += 3;
                        continue;
                    }

                    throw new ExpressionException(col, "a character literal is one character between single quotes, such as '.'");
            }

            if ((c is 'q' or 'Q') && i + 1 < text.Length && Delimiters.TryGetValue(text[i + 1], out var close))
            {
                tokens.Add(new(ExpressionTokenKind.Text, Delimited(text, ref i, 2, close, "q literal"), col));
                continue;
            }

            if ((c is 'r' or 'R') && i + 2 < text.Length && (text[i + 1] is 'e' or 'E') && Delimiters.TryGetValue(text[i + 2], out close))
            {
                tokens.Add(new(ExpressionTokenKind.Regex, Delimited(text, ref i, 3, close, "regex"), col));
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && (char.IsAsciiHexDigit(text[i]) || text[i] is '.' or ':' or '/'))
                {
                    // A dot ends a number when a name follows it: 10.EQ is not an address.
                    if (text[i] == '.' && (i + 1 >= text.Length || !char.IsAsciiDigit(text[i + 1])))
                    {
                        break;
                    }

                    i++;
                }

                var word = text[start..i];
                tokens.Add(new(word.All(char.IsAsciiDigit) ? ExpressionTokenKind.Number : ExpressionTokenKind.Address, word, col));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new(ExpressionTokenKind.Name, text[start..i], col));
                continue;
            }

            throw new ExpressionException(col, $"unexpected character '{c}': expected a name, a literal or an operator");
        }
    }

    private static string Quoted(string text, ref int i)
    {
        var col = i + 1;
        var sb = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                return sb.ToString();
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                var next = text[i + 1];
                sb.Append(next switch { '"' => '"', '\\' => '\\', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => next });
                if (next is not ('"' or '\\' or 'n' or 'r' or 't'))
                {
                    // Unknown escapes keep their backslash, as NetScaler does ("\d" stays \d).
                    sb.Insert(sb.Length - 1, '\\');
                }

                i += 2;
                continue;
            }

            sb.Append(c);
            i++;
        }

        throw new ExpressionException(col, "the text literal is not closed: expected '\"'");
    }

    private static string Delimited(string text, ref int i, int prefix, char close, string what)
    {
        var col = i + 1;
        var open = i + prefix - 1;
        var end = text.IndexOf(close, open + 1);
        if (end < 0)
        {
            throw new ExpressionException(col, $"the {what} is not closed: expected '{close}'");
        }

        i = end + 1;
        return text[(open + 1)..end];
    }
}
