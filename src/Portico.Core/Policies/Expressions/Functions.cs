namespace Portico.Policies.Expressions;

/// <summary>Applies <c>.NAME(...)</c> to a value, by the value's type.</summary>
internal static class Functions
{
    public static Node Apply(ExpressionParser parser, Node receiver, ExpressionToken name)
    {
        var upper = name.Text.ToUpperInvariant();
        var path = receiver.Path + "." + upper;
        var applied = receiver.Kind switch
        {
            ValueKind.Text => TextFunctions.Apply(parser, receiver, upper, path),
            ValueKind.Number => NumberFunctions.Apply(parser, receiver, upper, path),
            ValueKind.Address => AddressFunctions.Apply(parser, receiver, upper, path),
            ValueKind.Time => TimeFunctions.Apply(parser, receiver, upper, path),
            _ => null,
        };

        if (applied is not null)
        {
            return receiver.Derive(applied);
        }

        if (receiver.Kind != ValueKind.Bool && (Roots.IsNetScalerName(upper) || KnownElsewhere(upper)))
        {
            throw new UnsupportedExpressionException(path, name.Column);
        }

        throw new ExpressionException(name.Column,
            $"unknown function '{name.Text}' of {receiver.Path} ({ExpressionCompiler.Describe(receiver.Kind)}): expected one of {Names(receiver.Kind)}");
    }

    // A function NetScaler has for another type (LENGTH of a number) is still NetScaler's: say unsupported here.
    private static bool KnownElsewhere(string name) =>
        TextFunctions.Names.Contains(name) || NumberFunctions.Names.Contains(name) || AddressFunctions.Names.Contains(name) || TimeFunctions.Names.Contains(name);

    private static string Names(ValueKind kind) => string.Join(", ", kind switch
    {
        ValueKind.Text => TextFunctions.Names,
        ValueKind.Number => NumberFunctions.Names,
        ValueKind.Address => AddressFunctions.Names,
        ValueKind.Time => TimeFunctions.Names,
        _ => ["none: a boolean takes no function; combine with &&, || and !"],
    });
}
