namespace Portico.CommandLanguage;

/// <summary>
/// A problem with one line of input, located precisely enough that an operator can fix it
/// without guessing: the line, the column, the offending word and what was expected.
/// </summary>
public sealed record ConfigError(int Line, int Column, string Word, string Message)
{
    /// <summary>Formats as <c>line 3, column 21: '-lbMethd': unknown option ...</c>.</summary>
    public override string ToString() =>
        Word.Length == 0
            ? $"line {Line}, column {Column}: {Message}"
            : $"line {Line}, column {Column}: '{Word}': {Message}";
}

/// <summary>Thrown while reading or applying one command; carries the located error.</summary>
public sealed class ConfigErrorException(ConfigError error) : Exception(error.ToString())
{
    public ConfigError Error { get; } = error;
}
