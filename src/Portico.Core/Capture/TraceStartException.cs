namespace Portico.Capture;

/// <summary>A capture cannot start (no libpcap, no rights, an unknown interface); the message says how to fix it.</summary>
/// <param name="option">The option at fault (<c>filter</c>, <c>interface</c>), so the error points at its word.</param>
public sealed class TraceStartException(string message, string? option = null) : Exception(message)
{
    /// <summary>The option at fault, or null for the command as a whole.</summary>
    public string? Option { get; } = option;
}
