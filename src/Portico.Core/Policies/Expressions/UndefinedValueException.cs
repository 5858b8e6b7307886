namespace Portico.Policies.Expressions;

/// <summary>
/// NetScaler's UNDEF: an expression could not be evaluated for this request (a text that is not a number given
/// to <c>TYPECAST_NUM_T</c>). The policy that evaluates it takes its <c>-undefAction</c> instead of a result.
/// Raised only on such inputs, never on the ordinary path.
/// </summary>
public sealed class UndefinedValueException(string message) : Exception(message);
