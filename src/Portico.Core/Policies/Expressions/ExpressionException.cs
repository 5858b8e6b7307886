namespace Portico.Policies.Expressions;

/// <summary>
/// A wrong expression: <see cref="Column"/> is 1-based inside the expression text, so an operator finds the
/// spot in a long rule ("column 22: expected ')' after the argument of EQ").
/// </summary>
public sealed class ExpressionException(int column, string message) : Exception(message)
{
    public int Column { get; } = column;

    /// <summary>The message as the command reports it: <c>expression column 22: expected ...</c>.</summary>
    public string Located => $"expression column {Column}: {Message}";
}

/// <summary>
/// A valid NetScaler expression that uses a function Portico does not implement; the line is kept and
/// reported as <c>unsupported: NAME</c>, never applied half-understood.
/// </summary>
public sealed class UnsupportedExpressionException(string function, int column)
    : Exception($"unsupported: {function}")
{
    public string Function { get; } = function;

    public int Column { get; } = column;
}
