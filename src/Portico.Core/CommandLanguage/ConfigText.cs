namespace Portico.CommandLanguage;

/// <summary>Writing values back in the command language.</summary>
public static class ConfigText
{
    /// <summary>Quotes a word when it holds blanks, quotes or a leading dash or hash, escaping as ns.conf does.</summary>
    public static string Quote(string word)
    {
        var needs = word.Length == 0 || word.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\')
            || word[0] == '#' || (word.Length > 1 && word[0] == '-' && char.IsLetter(word[1]));
        return needs ? "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : word;
    }
}
