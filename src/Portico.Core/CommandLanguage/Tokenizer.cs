using System.Text;

namespace Portico.CommandLanguage;

/// <summary>
/// Splits one NetScaler command line into words, quoting as NetScaler's CLI does. Words are separated by
/// blanks. Double (or single) quotes group a value that holds blanks; inside them <c>\"</c>, <c>\\</c>,
/// <c>\r</c>, <c>\n</c> and <c>\t</c> are escapes (ns.conf writes <c>-customHeaders "Host: x\r\n"</c> for a
/// CR LF the monitor must send), and a backslash before any other character is kept as written, as
/// NetScaler keeps it (<c>".*/.*\\+xml"</c> is the regex <c>.*/.*\+xml</c>). <c>q</c> followed by a delimiter
/// starts a literal that runs, unescaped, to the matching delimiter: <c>q{...}</c>, <c>q[...]</c>,
/// <c>q(...)</c>, <c>q&lt;...&gt;</c>, or the same character again: <c>q|...|</c>, <c>q/.../</c>, <c>q~...~</c>,
/// <c>q$...$</c>, <c>q^...^</c>, <c>q+...+</c>, <c>q&amp;...&amp;</c>, <c>q%...%</c>, <c>q`...`</c>, <c>q?...?</c>, <c>q!...!</c>.
/// Characters that may appear in names (<c>_ . : # = @ -</c>) never open a literal, so <c>q_web</c> is a name.
/// A <c>#</c> outside quotes at the start of a word begins a comment that runs to the end of the line.
/// Lines have no length limit.
/// </summary>
public static class Tokenizer
{
    /// <summary>The characters that may follow <c>q</c> to open a literal, with the one that closes it.</summary>
    private static readonly Dictionary<char, char> LiteralDelimiters = new()
    {
        ['{'] = '}', ['['] = ']', ['('] = ')', ['<'] = '>',
        ['|'] = '|', ['/'] = '/', ['~'] = '~', ['$'] = '$', ['^'] = '^', ['+'] = '+', ['&'] = '&', ['%'] = '%',
        ['`'] = '`', ['?'] = '?', ['!'] = '!',
    };

    /// <summary>True when <c>q</c> followed by <paramref name="c"/> opens a literal.</summary>
    internal static bool OpensLiteral(char c) => LiteralDelimiters.ContainsKey(c);

    public static List<Token> Split(string line, int lineNumber)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                break;
            }

            var start = i;
            if (c is '"' or '\'')
            {
                tokens.Add(ReadQuoted(line, ref i, lineNumber));
                continue;
            }

            if (c is 'q' or 'Q' && i + 1 < line.Length && LiteralDelimiters.TryGetValue(line[i + 1], out var close))
            {
                tokens.Add(ReadLiteral(line, ref i, close, lineNumber));
                continue;
            }

            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            tokens.Add(new Token(line[start..i], start + 1, Quoted: false));
        }

        return tokens;
    }

    private static Token ReadQuoted(string line, ref int i, int lineNumber)
    {
        var quote = line[i];
        var start = i;
        var text = new StringBuilder();
        i++;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                var next = line[i + 1];
                switch (next)
                {
                    case 'r': text.Append('\r'); break;
                    case 'n': text.Append('\n'); break;
                    case 't': text.Append('\t'); break;
                    case '\\': text.Append('\\'); break;
                    default:
                        if (next == quote || next is '"' or '\'')
                        {
                            text.Append(next);
                        }
                        else
                        {
                            // NetScaler keeps a backslash that escapes nothing: a regex's \+ stays \+.
                            text.Append('\\').Append(next);
                        }

                        break;
                }

                i += 2;
                continue;
            }

            if (c == quote)
            {
                i++;
                EndOfWord(line, i, start, lineNumber, "a quoted value");
                return new Token(text.ToString(), start + 1, Quoted: true);
            }

            text.Append(c);
            i++;
        }

        throw new ConfigErrorException(new ConfigError(lineNumber, start + 1, line[start..],
            $"the quote {quote} is never closed; expected a closing {quote} before the end of the line"));
    }

    private static Token ReadLiteral(string line, ref int i, char close, int lineNumber)
    {
        var start = i;
        var end = line.IndexOf(close, i + 2);
        if (end < 0)
        {
            throw new ConfigErrorException(new ConfigError(lineNumber, start + 1, line[start..],
                $"the literal {line[start..(start + 2)]} is never closed; expected {close} before the end of the line"));
        }

        i = end + 1;
        EndOfWord(line, i, start, lineNumber, "a q literal");
        return new Token(line[(start + 2)..end], start + 1, Quoted: true);
    }

    private static void EndOfWord(string line, int i, int start, int lineNumber, string what)
    {
        if (i < line.Length && !char.IsWhiteSpace(line[i]))
        {
            throw new ConfigErrorException(new ConfigError(lineNumber, i + 1, line[start..Math.Min(line.Length, i + 1)],
                $"{what} must be followed by a blank or the end of the line"));
        }
    }
}
