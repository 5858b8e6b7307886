namespace Portico.Policies.Expressions;

/// <summary>The type of what an expression yields, checked when it is compiled (NetScaler's typed expressions).</summary>
public enum ValueKind
{
    Bool,
    Text,
    Number,
    Address,
    Time,
}
