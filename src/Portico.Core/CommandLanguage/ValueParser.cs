namespace Portico.CommandLanguage;

/// <summary>
/// Turns the words that follow a parameter into a typed value. Throws
/// <see cref="ValueException"/> naming the word at fault and what was expected.
/// </summary>
public delegate object ValueParser(IReadOnlyList<Token> words);

/// <summary>A value that does not fit its parameter; <see cref="Index"/> is the offending word.</summary>
public sealed class ValueException(int index, string message) : Exception(message)
{
    public int Index { get; } = index;
}
