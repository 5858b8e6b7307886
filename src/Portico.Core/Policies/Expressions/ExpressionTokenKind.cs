namespace Portico.Policies.Expressions;

/// <summary>The kinds of words of an advanced policy expression.</summary>
internal enum ExpressionTokenKind
{
    End,
    Name,
    Text,
    Number,
    Address,
    Regex,
    Dot,
    Comma,
    Open,
    Close,
    And,
    Or,
    Not,
    Plus,
}

/// <summary>One word of an expression; <see cref="Column"/> is 1-based in the expression.</summary>
internal readonly record struct ExpressionToken(ExpressionTokenKind Kind, string Text, int Column);
