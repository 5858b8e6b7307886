namespace Portico.CommandLanguage;

/// <summary>
/// A value NetScaler accepts but Portico does not implement (a service type, an LB method). The line
/// is kept and reported as unsupported rather than rejected, so real ns.conf files still load.
/// </summary>
public sealed class UnsupportedValueException(int index, string message) : Exception(message)
{
    public int Index { get; } = index;
}

/// <summary>Thrown by a command handler when the line is valid NetScaler that Portico does not implement.</summary>
public sealed class UnsupportedCommandException(string reason) : Exception(reason);
