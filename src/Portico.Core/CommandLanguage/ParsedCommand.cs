
namespace Portico.CommandLanguage;

/// <summary>
/// One command line after parsing: the command it names and its typed arguments, each remembered
/// with the word it came from so that later checks (a missing server, a duplicate name) can point
/// at the exact column.
/// </summary>
public sealed class ParsedCommand
{
    private readonly Dictionary<string, (object Value, Token Word)> _values;

    internal ParsedCommand(CommandSyntax spec, int line, string text, Token verb,
        Dictionary<string, (object Value, Token Word)> values, IReadOnlyList<KeptOption> kept)
    {
        Spec = spec;
        Line = line;
        Text = text;
        VerbToken = verb;
        _values = values;
        Kept = kept;
    }

    public CommandSyntax Spec { get; }

    /// <summary>1-based line number within its batch.</summary>
    public int Line { get; }

    /// <summary>The line as the operator wrote it.</summary>
    public string Text { get; }

    public Token VerbToken { get; }

    /// <summary>NetScaler options given on this line that Portico keeps but does not act on.</summary>
    public IReadOnlyList<KeptOption> Kept { get; }

    /// <summary>What the operator should know about this line (an option value kept without effect).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The canonical names of the parameters given on the line.</summary>
    public IEnumerable<string> Given => _values.Keys;

    public bool Has(string name) => _values.ContainsKey(name);

    public T Get<T>(string name) => _values.TryGetValue(name, out var v)
        ? (T)v.Value
        : throw new InvalidOperationException($"{Spec.FullName}: parameter {name} was not given");

    public T Get<T>(string name, T fallback) => _values.TryGetValue(name, out var v) ? (T)v.Value : fallback;

    /// <summary>Value of an option if given, else null.</summary>
    public T? Maybe<T>(string name) where T : struct => _values.TryGetValue(name, out var v) ? (T)v.Value : null;

    /// <summary>Reference-typed value of an option if given, else null.</summary>
    public T? MaybeRef<T>(string name) where T : class => _values.TryGetValue(name, out var v) ? (T)v.Value : null;

    /// <summary>An error located at the word given for <paramref name="name"/>, or at the verb.</summary>
    public ConfigErrorException Error(string name, string message)
    {
        var word = _values.TryGetValue(name, out var v) ? v.Word : VerbToken;
        return new ConfigErrorException(new ConfigError(Line, word.Column, word.Text, message));
    }

    /// <summary>An error about the whole line, located at its verb.</summary>
    public ConfigErrorException Error(string message) =>
        new(new ConfigError(Line, VerbToken.Column, Spec.FullName, message));
}
