using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>
/// The objects that unsupported lines define (<c>add cs vserver cs1</c>, <c>add lb monitor m HTTP2</c>), so
/// that a line whose only fault is naming one of them (<c>bind ssl vserver cs1 ...</c>) is classed as
/// unsupported too and cites the defining line, instead of failing with "no lb vserver named cs1".
/// </summary>
internal sealed class UnsupportedReferences
{
    private readonly Dictionary<string, UnsupportedLine> _defined = new(StringComparer.Ordinal);

    public void Add(UnsupportedLine line)
    {
        if (DefinedName(line.Text) is { } name)
        {
            _defined.TryAdd(name, line);
        }
    }

    /// <summary>The unsupported line that defines the object <paramref name="error"/> says is missing, if any.</summary>
    public UnsupportedLine? DefinerOf(ConfigError error) =>
        IsMissingReference(error) && _defined.TryGetValue(error.Word, out var line) ? line : null;

    /// <summary>The reason given for a line that refers to an object an unsupported line defines.</summary>
    public static string Reason(ConfigError error, UnsupportedLine definer) =>
        $"refers to '{error.Word}', which line {definer.Line} defines: {definer.Reason}";

    /// <summary>Errors of the form "no lb vserver named 'x'" (and "no server named 'x'; add it...").</summary>
    public static bool IsMissingReference(ConfigError error) =>
        error.Message.StartsWith("no ", StringComparison.Ordinal) && error.Message.Contains(" named '", StringComparison.Ordinal) && error.Word.Length > 0;

    /// <summary>The name an <c>add</c> line defines: the first word after the verb and its object keywords.</summary>
    public static string? DefinedName(string text)
    {
        List<Token> tokens;
        try
        {
            tokens = Tokenizer.Split(text, 0);
        }
        catch (ConfigErrorException)
        {
            return null;
        }

        if (tokens.Count < 3 || !tokens[0].Text.Equals("add", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var words = tokens.Skip(1).TakeWhile(t => !t.IsOption && !t.Quoted).Select(t => t.Text).ToList();
        var obj = NetScalerCatalog.UnsupportedObject(words);
        var skip = obj is null ? 1 : obj.Split(' ').Length;
        return tokens.Count > skip + 1 && !tokens[skip + 1].IsOption ? tokens[skip + 1].Text : null;
    }
}
