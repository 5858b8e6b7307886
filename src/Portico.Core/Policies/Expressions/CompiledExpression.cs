namespace Portico.Policies.Expressions;

/// <summary>
/// An advanced policy expression compiled once, when the config is applied: a delegate of its type. A policy
/// rule is a <see cref="ValueKind.Bool"/> expression; an action's target (a redirect URL, a header value) is a
/// <see cref="ValueKind.Text"/> one, whatever it yields being turned into text.
/// </summary>
public sealed class CompiledExpression
{
    private readonly Node _node;

    internal CompiledExpression(string source, Node node)
    {
        Source = source;
        _node = node;
        Text = TextOf(node);
    }

    /// <summary>The expression as written.</summary>
    public string Source { get; }

    public ValueKind Kind => _node.Kind;

    /// <summary>True when it reads the response (<c>HTTP.RES</c>): only response bind points may use it.</summary>
    public bool ReadsResponse => _node.ReadsResponse;

    /// <summary>True when it reads HTTP at all: a TCP cs vserver has only the connection's values.</summary>
    public bool ReadsHttp => _node.ReadsHttp;

    internal Node Node => _node;

    /// <summary>The host this rule compares the request's host with, when that is all the rule does.</summary>
    internal HostEquality? HostEquals => _node.HostEquals;

    /// <summary>Evaluates a boolean expression; throws <see cref="UndefinedValueException"/> for NetScaler's UNDEF.</summary>
    public bool Matches(IPolicyRequest request) => _node.Bool(request);

    /// <summary>The expression's value as text (numbers in decimal, addresses as written, booleans TRUE/FALSE).</summary>
    public Func<IPolicyRequest, string> Text { get; }

    private static Func<IPolicyRequest, string> TextOf(Node node)
    {
        switch (node.Kind)
        {
            case ValueKind.Text:
                var text = node.Text;
                return r => text(r) ?? "";
            case ValueKind.Number:
                var number = node.Number;
                return r => number(r).ToString(System.Globalization.CultureInfo.InvariantCulture);
            case ValueKind.Address:
                var address = node.Address;
                return r => address(r) is { IsIPv4MappedToIPv6: true } a ? a.MapToIPv4().ToString() : address(r).ToString();
            case ValueKind.Time:
                var time = node.Time;
                return r => time(r).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            default:
                var b = node.Bool;
                return r => b(r) ? "TRUE" : "FALSE";
        }
    }

    public override string ToString() => Source;
}
