namespace Portico.CommandLanguage;

/// <summary>Writing values back in the command language.</summary>
public static class ConfigText
{
    /// <summary>Quotes a word when it holds blanks, quotes or a leading dash, hash or q literal, escaping as ns.conf does.</summary>
    public static string Quote(string word)
    {
        var needs = word.Length == 0 || word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\')
            || word[0] == '#' || (word.Length > 1 && word[0] is 'q' or 'Q' && Tokenizer.OpensLiteral(word[1])) || (word.Length > 1 && word[0] == '-' && char.IsLetter(word[1]));
        return needs ? "\"" + Escape(word) + "\"" : word;
    }

    /// <summary>The escapes the tokenizer reads inside double quotes: backslash, quote, CR, LF, tab.</summary>
    private static string Escape(string word)
    {
        var sb = new System.Text.StringBuilder(word.Length + 8);
        foreach (var c in word)
        {
            sb.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }
}
