using System.Text;

namespace Portico.CommandLanguage;

/// <summary>
/// Splits one NetScaler command line into words. Words are separated by blanks; double or single
/// quotes group a value that holds blanks, and a backslash inside quotes escapes the next character
/// (ns.conf writes <c>"HTTP.REQ.HEADER(\"x\")"</c>). A <c>#</c> outside quotes at the start of a word
/// begins a comment that runs to the end of the line.
/// </summary>
public static class Tokenizer
{
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
                text.Append(line[i + 1]);
                i += 2;
                continue;
            }

            if (c == quote)
            {
                i++;
                if (i < line.Length && !char.IsWhiteSpace(line[i]))
                {
                    throw new ConfigErrorException(new ConfigError(lineNumber, i + 1, line[start..Math.Min(line.Length, i + 1)],
                        "a quoted value must be followed by a blank or the end of the line"));
                }

                return new Token(text.ToString(), start + 1, Quoted: true);
            }

            text.Append(c);
            i++;
        }

        throw new ConfigErrorException(new ConfigError(lineNumber, start + 1, line[start..],
            $"the quote {quote} is never closed; expected a closing {quote} before the end of the line"));
    }
}
