namespace Portico.Configuration;

/// <summary>What an action reports when its result is one sentence (<c>3 established connection(s) reset</c>).</summary>
/// <param name="Message">The sentence, without its newline.</param>
public sealed record MessageResult(string Message) : IQueryResult
{
    public string ToText() => Message + "\n";
}
