using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Portico.CommandLanguage;

namespace Portico.Acl;

/// <summary>
/// One condition of an extended ACL on an address or a port: <c>[=|!=] low[-high]</c>. Addresses are
/// <see cref="AclAddress"/> keys, ports their number; either way matching is two integer comparisons.
/// </summary>
/// <param name="Negate">True for <c>!=</c> (<c>NEQ</c>): the value must lie outside the range.</param>
public readonly record struct AclRange(bool Negate, UInt128 Low, UInt128 High)
{
    /// <summary>True when <paramref name="value"/> meets the condition.</summary>
    public bool Matches(UInt128 value) => (value >= Low && value <= High) != Negate;

    /// <summary>Written back as <c>= 10.0.0.1-10.0.0.9</c> or <c>!= 10.0.0.1</c>.</summary>
    public string AddressText(AclFamily family)
    {
        var low = AclAddress.ToAddress(Low, family);
        return $"{Operator} {low}{(Low == High ? "" : "-" + AclAddress.ToAddress(High, family))}";
    }

    /// <summary>Written back as <c>= 80</c> or <c>!= 1024-65535</c>.</summary>
    public string PortText() => $"{Operator} {(ulong)Low}{(Low == High ? "" : "-" + (ulong)High)}";

    private string Operator => Negate ? "!=" : "=";

    /// <summary>Reads <c>[=|!=|EQ|NEQ] a[-b]</c> (also <c>[a-b]</c> and <c>a/len</c>) of <paramref name="family"/>.</summary>
    public static ValueParser AddressParser(AclFamily family) => words =>
    {
        var (negate, text, index) = Operand(words);
        text = text.Trim('[', ']');
        var want = family == AclFamily.V4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        var what = family == AclFamily.V4 ? "an IPv4 address" : "an IPv6 address";
        var example = family == AclFamily.V4 ? "10.0.0.1, 10.0.0.1-10.0.0.99 or 10.0.0.0/24" : "2001:db8::1, 2001:db8::1-2001:db8::ff or 2001:db8::/64";
        IPAddress Parse(string s) =>
            IPAddress.TryParse(s, out var ip) && ip.AddressFamily == want && (family == AclFamily.V6 || s.Count(c => c == '.') == 3)
                ? ip
                : throw new ValueException(index, $"expected {what} or a range: {example}{(family == AclFamily.V4 && s.Contains(':', StringComparison.Ordinal) ? " (IPv6 rules are ns acl6 with -srcIPv6/-destIPv6)" : "")}");

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var network = AclAddress.Key(Parse(text[..slash]));
            var bits = family == AclFamily.V4 ? 32 : 128;
            if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > bits)
            {
                throw new ValueException(index, $"expected a prefix length 0..{bits} after /");
            }

            var host = bits - prefix == 128 ? UInt128.MaxValue : (UInt128.One << (bits - prefix)) - 1;
            return new AclRange(negate, network & ~host, network | host);
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var low = AclAddress.Key(Parse(dash < 0 ? text : text[..dash]));
        var high = dash < 0 ? low : AclAddress.Key(Parse(text[(dash + 1)..]));
        return high < low
            ? throw new ValueException(index, "the range ends before it starts; write low-high")
            : new AclRange(negate, low, high);
    };

    /// <summary>Reads <c>[=|!=|EQ|NEQ] p[-q]</c>, ports 0..65535.</summary>
    public static readonly ValueParser PortParser = words =>
    {
        var (negate, text, index) = Operand(words);
        text = text.Trim('[', ']');
        int Parse(string s) =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 65535
                ? p
                : throw new ValueException(index, "expected a port 0..65535 or a range like 1024-65535");

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var low = Parse(dash < 0 ? text : text[..dash]);
        var high = dash < 0 ? low : Parse(text[(dash + 1)..]);
        return high < low
            ? throw new ValueException(index, "the range ends before it starts; write low-high")
            : new AclRange(negate, (UInt128)low, (UInt128)high);
    };

    private static (bool Negate, string Text, int Index) Operand(IReadOnlyList<Token> words)
    {
        Values.ExpectCount(words, 1, 2);
        if (words.Count == 1)
        {
            return words[0].Text switch
            {
                "=" or "!=" => throw new ValueException(1, "expected a value after the operator"),
                var t when t.StartsWith("!=", StringComparison.Ordinal) => (true, t[2..], 0),
                var t when t.StartsWith('=') => (false, t[1..], 0),
                var t => (false, t, 0),
            };
        }

        return words[0].Text.ToUpperInvariant() switch
        {
            "=" or "EQ" => (false, words[1].Text, 1),
            "!=" or "NEQ" => (true, words[1].Text, 1),
            _ => throw new ValueException(0, "expected an operator (=, !=, EQ or NEQ) before the value"),
        };
    }
}
