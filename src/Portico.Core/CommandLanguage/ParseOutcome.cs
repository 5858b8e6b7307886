namespace Portico.CommandLanguage;

/// <summary>What one line turned out to be.</summary>
public abstract record ParseOutcome
{
    private ParseOutcome()
    {
    }

    /// <summary>A blank line or a comment.</summary>
    public sealed record Empty : ParseOutcome;

    /// <summary>A command Portico implements.</summary>
    public sealed record Command(ParsedCommand Parsed) : ParseOutcome;

    /// <summary>A valid NetScaler line that Portico does not implement; kept and reported, never applied.</summary>
    public sealed record Unsupported(int Line, string Text, string Reason) : ParseOutcome;
}
