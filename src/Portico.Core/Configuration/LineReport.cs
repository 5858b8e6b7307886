namespace Portico.Configuration;

/// <summary>What became of one command line of an imported or checked file.</summary>
public enum LineOutcome
{
    /// <summary>Applied, every option acted on.</summary>
    Applied,

    /// <summary>Applied, but something on it is kept without effect (an option, a value), or its object was imported disabled.</summary>
    KeptWithoutEffect,

    /// <summary>Valid NetScaler that Portico does not implement: kept as written, never applied.</summary>
    Unsupported,

    /// <summary>A line Portico cannot accept: an error, set aside.</summary>
    Rejected,
}

/// <summary>One command line of the input, its object kind (<c>lb vserver</c>), what became of it, and why.</summary>
public sealed record LineReport(int Line, string Text, string Kind, LineOutcome Outcome, IReadOnlyList<string> Messages)
{
    /// <summary>The object kinds of the core load balancing lines that the migration figure counts.</summary>
    public static readonly IReadOnlyList<string> CoreKinds = ["server", "service", "serviceGroup", "lb vserver", "lb monitor"];

    public bool IsCore => CoreKinds.Contains(Kind, StringComparer.OrdinalIgnoreCase);

    /// <summary>Applied, with or without something kept without effect.</summary>
    public bool IsApplied => Outcome is LineOutcome.Applied or LineOutcome.KeptWithoutEffect;

    public static string Word(LineOutcome outcome) => outcome switch
    {
        LineOutcome.Applied => "applied",
        LineOutcome.KeptWithoutEffect => "kept without effect",
        LineOutcome.Unsupported => "unsupported",
        _ => "rejected",
    };
}
