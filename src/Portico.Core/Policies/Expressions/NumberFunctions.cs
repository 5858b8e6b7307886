namespace Portico.Policies.Expressions;

/// <summary>Functions of numbers: comparisons, simple arithmetic, and the text form.</summary>
internal static class NumberFunctions
{
    public static readonly string[] Names = ["EQ", "NE", "GT", "GE", "LT", "LE", "BETWEEN", "ADD", "SUB", "MUL", "DIV", "MOD", "TYPECAST_TEXT_T"];

    public static Node? Apply(ExpressionParser p, Node receiver, string name, string path)
    {
        var f = receiver.Number;
        switch (name)
        {
            case "EQ" or "NE" or "GT" or "GE" or "LT" or "LE":
                Arguments.Open(p, path);
                var arg = Arguments.Number(p, path);
                Arguments.Close(p, path);
                var g = arg.Number;
                Func<IPolicyRequest, bool> test = name switch
                {
                    "EQ" => r => f(r) == g(r),
                    "NE" => r => f(r) != g(r),
                    "GT" => r => f(r) > g(r),
                    "GE" => r => f(r) >= g(r),
                    "LT" => r => f(r) < g(r),
                    _ => r => f(r) <= g(r),
                };
                return arg.Derive(Node.Of(test, path));
            case "BETWEEN":
                Arguments.Open(p, path);
                var low = Arguments.Number(p, path).Number;
                p.Expect(ExpressionTokenKind.Comma, "',' and the upper bound of BETWEEN");
                var high = Arguments.Number(p, path).Number;
                Arguments.Close(p, path);
                return Node.Of(r => f(r) is var v && v >= low(r) && v <= high(r), path);
            case "ADD" or "SUB" or "MUL" or "DIV" or "MOD":
                Arguments.Open(p, path);
                var operand = Arguments.Number(p, path).Number;
                Arguments.Close(p, path);
                return Node.Of(name switch
                {
                    "ADD" => r => f(r) + operand(r),
                    "SUB" => r => f(r) - operand(r),
                    "MUL" => r => f(r) * operand(r),
                    "DIV" => r => operand(r) is var d and not 0 ? f(r) / d : throw new UndefinedValueException("division by zero"),
                    _ => (Func<IPolicyRequest, long>)(r => operand(r) is var m and not 0 ? f(r) % m : throw new UndefinedValueException("division by zero")),
                }, path);
            case "TYPECAST_TEXT_T":
                Arguments.None(p);
                return Node.Of(r => f(r).ToString(System.Globalization.CultureInfo.InvariantCulture), path);
            default:
                return null;
        }
    }
}
