namespace Portico.Configuration;

/// <summary>A line kept verbatim because Portico does not implement it; <c>save config</c> writes it back.</summary>
public sealed record UnsupportedLine(string Source, int Line, string Text, string Reason)
{
    /// <summary>
    /// True when the line only tunes a NetScaler built-in object Portico does not have (its management
    /// services, built-in monitors): nothing of the farm is missing, so it is reported as kept without effect.
    /// </summary>
    public bool WithoutEffect { get; init; }
}

/// <summary>Something an operator should know about an applied line, such as options kept but not acted on.</summary>
public sealed record ConfigNote(int Line, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}
