namespace Portico.CommandLanguage;

/// <summary>One word of a command line, with where it stood.</summary>
/// <param name="Text">The word with quotes removed and escapes resolved.</param>
/// <param name="Column">1-based column of the word's first character in the line.</param>
/// <param name="Quoted">True when the word was written in quotes, so it is never an option name.</param>
public readonly record struct Token(string Text, int Column, bool Quoted)
{
    /// <summary>True for words like <c>-lbMethod</c>: a dash followed by a letter, not quoted.</summary>
    public bool IsOption => !Quoted && Text.Length > 1 && Text[0] == '-' && char.IsLetter(Text[1]);

    /// <summary>The option name without its leading dash.</summary>
    public string OptionName => Text[1..];
}
