namespace Portico.Policies.Expressions;

/// <summary>
/// Recursive descent over the lexer's words, building typed <see cref="Node"/>s. Precedence, loosest first:
/// <c>||</c>, <c>&amp;&amp;</c>, <c>!</c>, <c>+</c>, then a primary with its <c>.FUNCTION(...)</c> chain.
/// </summary>
internal sealed partial class ExpressionParser(List<ExpressionToken> tokens, ExpressionContext context)
{
    /// <summary>Parentheses, arguments and '!' may nest this deep; deeper input is refused, not recursed into.</summary>
    public const int MaxDepth = 64;

    private int _pos;
    private int _depth;

    public ExpressionContext Context => context;

    private ExpressionToken Peek => tokens[_pos];

    private ExpressionToken Take() => tokens[_pos++];

    public Node ParseWhole()
    {
        if (Peek.Kind == ExpressionTokenKind.End)
        {
            throw new ExpressionException(1, "the expression is empty");
        }

        var node = ParseOr();
        if (Peek.Kind != ExpressionTokenKind.End)
        {
            throw new ExpressionException(Peek.Column, $"unexpected {Describe(Peek)}: expected '&&', '||', '+', '.' or the end");
        }

        return node;
    }

    /// <summary>A whole sub-expression, as a function argument or inside parentheses.</summary>
    public Node ParseOr()
    {
        using var nested = Nest();
        var left = ParseAnd();
        while (Peek.Kind == ExpressionTokenKind.Or)
        {
            var op = Take();
            var at = Peek;
            var right = ParseAnd();
            var (l, r) = (RequireBool(left, op, "left of '||'"), RequireBool(right, at, "right of '||'"));
            left = left.Derive(right.Derive(Node.Of(q => l(q) || r(q), "||")));
        }

        return left;
    }

    private Node ParseAnd()
    {
        var left = ParseNot();
        while (Peek.Kind == ExpressionTokenKind.And)
        {
            var op = Take();
            var at = Peek;
            var right = ParseNot();
            var (l, r) = (RequireBool(left, op, "left of '&&'"), RequireBool(right, at, "right of '&&'"));
            left = left.Derive(right.Derive(Node.Of(q => l(q) && r(q), "&&")));
        }

        return left;
    }

    private Node ParseNot()
    {
        if (Peek.Kind != ExpressionTokenKind.Not)
        {
            return ParseConcat();
        }

        var op = Take();
        using var nested = Nest();
        var operand = ParseNot();
        var f = RequireBool(operand, op, "after '!'");
        return operand.Derive(Node.Of(q => !f(q), "!"));
    }

    private Node ParseConcat()
    {
        var left = ParsePostfix();
        while (Peek.Kind == ExpressionTokenKind.Plus)
        {
            var op = Take();
            var right = ParsePostfix();
            left = (left.Kind, right.Kind) switch
            {
                (ValueKind.Number, ValueKind.Number) => Add(left, right),
                // Text joined with an address or a number takes its text form, as NetScaler writes "ip=" + CLIENT.IP.SRC.
                (ValueKind.Text, not ValueKind.Bool) or (not ValueKind.Bool, ValueKind.Text) => Concat(AsText(left), AsText(right)),
                _ => throw new ExpressionException(op.Column,
                    $"'+' joins texts or adds numbers; here it has {ExpressionCompiler.Describe(left.Kind)} and {ExpressionCompiler.Describe(right.Kind)}"),
            };
        }

        return left;
    }

    private static Node AsText(Node node)
    {
        if (node.Kind == ValueKind.Text)
        {
            return node;
        }

        var text = new CompiledExpression(node.Path, node).Text;
        return node with { Kind = ValueKind.Text, Fn = (Func<IPolicyRequest, string?>)(r => text(r)), Constant = null };
    }

    private static Node Concat(Node left, Node right)
    {
        var (l, r) = (left.Text, right.Text);
        return left.Derive(right.Derive(Node.Of(q => string.Concat(l(q), r(q)), "+")));
    }

    private static Node Add(Node left, Node right)
    {
        var (l, r) = (left.Number, right.Number);
        return left.Derive(right.Derive(Node.Of(q => l(q) + r(q), "+")));
    }

    private Node ParsePostfix()
    {
        var node = ParsePrimary();
        while (Peek.Kind == ExpressionTokenKind.Dot)
        {
            Take();
            var name = ExpectName($"a function of {node.Path}");
            node = Functions.Apply(this, node, name);
        }

        return node;
    }

    private Node ParsePrimary()
    {
        var t = Peek;
        switch (t.Kind)
        {
            case ExpressionTokenKind.Open:
                Take();
                var inner = ParseOr();
                Expect(ExpressionTokenKind.Close, "')' to close the '(' at column " + t.Column);
                return inner;
            case ExpressionTokenKind.Text:
                Take();
                var text = t.Text;
                return Node.Of(_ => text, "\"" + text + "\"") with { Constant = text };
            case ExpressionTokenKind.Number:
                Take();
                var n = ParseNumber(t);
                return Node.Of(_ => n, t.Text) with { Constant = n };
            case ExpressionTokenKind.Name:
                return ParseChain();
            default:
                throw new ExpressionException(t.Column, $"unexpected {Describe(t)}: expected an expression (HTTP.REQ..., CLIENT..., SYS.TIME, TRUE, a literal or '(')");
        }
    }

    private Node ParseChain()
    {
        var first = Take();
        var path = first.Text.ToUpperInvariant();
        if (path is "TRUE" or "FALSE")
        {
            var value = path == "TRUE";
            return Node.Of(_ => value, path) with { Constant = value };
        }

        if (!Roots.IsObject(path) && !Roots.IsValue(path))
        {
            if (context.Named.TryGetValue(first.Text, out var named))
            {
                return named.Node;
            }

            if (Roots.IsNetScalerName(path))
            {
                throw new UnsupportedExpressionException(path, first.Column);
            }

            throw new ExpressionException(first.Column,
                $"unknown name '{first.Text}': expected HTTP, CLIENT, SYS, TRUE, FALSE or a named expression (add policy expression)");
        }

        var column = first.Column;
        while (Roots.IsObject(path))
        {
            if (Peek.Kind != ExpressionTokenKind.Dot)
            {
                throw new ExpressionException(Peek.Column, $"{path} is not a value: expected '.' and one of {Roots.Members(path)}");
            }

            Take();
            var name = ExpectName($"one of {Roots.Members(path)}");
            var next = path + "." + name.Text.ToUpperInvariant();
            if (!Roots.IsObject(next) && !Roots.IsValue(next))
            {
                if (Roots.IsNetScalerName(name.Text.ToUpperInvariant()))
                {
                    throw new UnsupportedExpressionException(next, name.Column);
                }

                throw new ExpressionException(name.Column, $"unknown '{name.Text}' after {path}: expected one of {Roots.Members(path)}");
            }

            path = next;
            column = name.Column;
        }

        // Values that have sub-values (HTTP.REQ.URL.PATH): the longest known path wins.
        while (Peek.Kind == ExpressionTokenKind.Dot && tokens[_pos + 1].Kind == ExpressionTokenKind.Name
               && Roots.IsValue(path + "." + tokens[_pos + 1].Text.ToUpperInvariant()))
        {
            Take();
            path += "." + Take().Text.ToUpperInvariant();
        }

        return Roots.Value(this, path, column);
    }

    private Depth Nest()
    {
        if (++_depth > MaxDepth)
        {
            throw new ExpressionException(Peek.Column, $"the expression is nested deeper than {MaxDepth} levels");
        }

        return new Depth(this);
    }

    private readonly struct Depth(ExpressionParser parser) : IDisposable
    {
        public void Dispose() => parser._depth--;
    }

    public ExpressionToken ExpectName(string what)
    {
        if (Peek.Kind != ExpressionTokenKind.Name)
        {
            throw new ExpressionException(Peek.Column, $"unexpected {Describe(Peek)}: expected {what}");
        }

        return Take();
    }

    public ExpressionToken Expect(ExpressionTokenKind kind, string what)
    {
        if (Peek.Kind != kind)
        {
            throw new ExpressionException(Peek.Column, $"unexpected {Describe(Peek)}: expected {what}");
        }

        return Take();
    }

    public bool At(ExpressionTokenKind kind) => Peek.Kind == kind;

    public ExpressionToken Current => Peek;

    public ExpressionToken Advance() => Take();

    public static long ParseNumber(ExpressionToken t) =>
        long.TryParse(t.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ExpressionException(t.Column, $"the number {t.Text} is too large");

    private static Func<IPolicyRequest, bool> RequireBool(Node node, ExpressionToken at, string where) =>
        node.Kind == ValueKind.Bool
            ? node.Bool
            : throw new ExpressionException(at.Column, $"{where}: expected a boolean, found {node.Path} ({ExpressionCompiler.Describe(node.Kind)})");

    public static string Describe(ExpressionToken t) => t.Kind switch
    {
        ExpressionTokenKind.End => "end of expression",
        ExpressionTokenKind.Text => $"text \"{t.Text}\"",
        ExpressionTokenKind.Regex => "regex",
        _ => $"'{t.Text}'",
    };
}
