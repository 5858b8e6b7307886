using System.Net;
using System.Text.RegularExpressions;

namespace Portico.Policies.Expressions;

/// <summary>The arguments of functions: parenthesised, typed, checked when compiled.</summary>
internal static class Arguments
{
    /// <summary>A regex may run this long on one input before the evaluation is UNDEF (backtracking patterns only).</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>No arguments: the parentheses are optional (<c>TO_LOWER</c> and <c>TO_LOWER()</c>).</summary>
    public static void None(ExpressionParser p)
    {
        if (p.At(ExpressionTokenKind.Open))
        {
            p.Advance();
            p.Expect(ExpressionTokenKind.Close, "')': this function takes no argument");
        }
    }

    public static void Open(ExpressionParser p, string function) =>
        p.Expect(ExpressionTokenKind.Open, $"'(' and the argument of {function}");

    public static void Close(ExpressionParser p, string function) =>
        p.Expect(ExpressionTokenKind.Close, $"')' after the argument of {function}");

    /// <summary>One literal text argument in parentheses.</summary>
    public static string LiteralText(ExpressionParser p, string function, string what)
    {
        Open(p, function);
        var t = p.Expect(ExpressionTokenKind.Text, $"{what} as a quoted text");
        Close(p, function);
        return t.Text;
    }

    /// <summary>
    /// A text argument: a literal or any text expression. Where NetScaler writes bare words
    /// (<c>METHOD.EQ(GET)</c>), a word that names nothing else is taken as text.
    /// </summary>
    public static Node Text(ExpressionParser p, string function, bool wordsAreText)
    {
        if (wordsAreText && p.At(ExpressionTokenKind.Name) && p.Current.Text.All(c => char.IsAsciiLetterUpper(c) || c == '_')
            && !Roots.IsObject(p.Current.Text) && p.Current.Text is not ("TRUE" or "FALSE") && !p.Context.Named.ContainsKey(p.Current.Text))
        {
            var word = p.Advance().Text;
            return Node.Of(_ => word, word) with { Constant = word };
        }

        var at = p.Current;
        var node = p.ParseOr();
        return node.Kind == ValueKind.Text
            ? node
            : throw new ExpressionException(at.Column, $"the argument of {function} must be text, found {ExpressionCompiler.Describe(node.Kind)}");
    }

    public static Node Number(ExpressionParser p, string function)
    {
        var at = p.Current;
        var node = p.ParseOr();
        return node.Kind == ValueKind.Number
            ? node
            : throw new ExpressionException(at.Column, $"the argument of {function} must be a number, found {ExpressionCompiler.Describe(node.Kind)}");
    }

    /// <summary><c>re!...!</c>: linear-time matching where the pattern allows it, else backtracking with a time limit.</summary>
    public static Regex Regex(ExpressionParser p, string function, bool ignoreCase)
    {
        Open(p, function);
        var t = p.Expect(ExpressionTokenKind.Regex, "a regex such as re/pattern/");
        Close(p, function);
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        try
        {
            return new Regex(t.Text, options | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            // Backreferences and lookarounds need backtracking; the time limit keeps a pattern from hanging a request.
        }
        catch (ArgumentException e)
        {
            throw new ExpressionException(t.Column, $"the regex is not valid: {e.Message}");
        }

        try
        {
            return new Regex(t.Text, options, RegexTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ExpressionException(t.Column, $"the regex is not valid: {e.Message}");
        }
    }

    /// <summary>A bare word from a fixed list (<c>SET_TEXT_MODE(IGNORECASE)</c>).</summary>
    public static string Word(ExpressionParser p, string function, params string[] allowed)
    {
        Open(p, function);
        var t = p.ExpectName(string.Join(" or ", allowed));
        var word = t.Text.ToUpperInvariant();
        if (!allowed.Contains(word))
        {
            if (Roots.IsNetScalerName(word) || word is "URLENCODED" or "NOURLENCODED" or "BACKSLASH_ESCAPED" or "DOUBLE_QUOTE_ESCAPED" or "PERSISTENT" or "NOPERSISTENT")
            {
                throw new UnsupportedExpressionException($"{function}({word})", t.Column);
            }

            throw new ExpressionException(t.Column, $"'{t.Text}': expected {string.Join(" or ", allowed)}");
        }

        Close(p, function);
        return word;
    }

    /// <summary>An address (<c>10.1.2.3</c>) written bare or quoted.</summary>
    public static IPAddress Address(ExpressionParser p, string function)
    {
        Open(p, function);
        var t = AddressToken(p);
        Close(p, function);
        return IPAddress.TryParse(t.Text, out var a) ? a : throw new ExpressionException(t.Column, $"'{t.Text}' is not an IP address");
    }

    /// <summary>A subnet (<c>10.0.0.0/8</c>) written bare or quoted; a bare address is its own /32 or /128.</summary>
    public static IPNetwork Subnet(ExpressionParser p, string function)
    {
        Open(p, function);
        var t = AddressToken(p);
        Close(p, function);
        // The bits after the prefix must be zero: 10.0.0.1/8 is a typo an operator wants to hear about.
        if (IPNetwork.TryParse(t.Text, out var n) && t.Text.Split('/')[0] is var written && IPAddress.Parse(written).Equals(n.BaseAddress))
        {
            return n;
        }

        return IPAddress.TryParse(t.Text, out var a)
            ? new IPNetwork(a, a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : throw new ExpressionException(t.Column, $"'{t.Text}' is not a subnet such as 10.0.0.0/8 (the bits after the prefix must be zero)");
    }

    private static ExpressionToken AddressToken(ExpressionParser p) =>
        p.At(ExpressionTokenKind.Address) || p.At(ExpressionTokenKind.Text) || p.At(ExpressionTokenKind.Name) || p.At(ExpressionTokenKind.Number)
            ? p.Advance()
            : p.Expect(ExpressionTokenKind.Address, "an address such as 10.0.0.0/8");
}
