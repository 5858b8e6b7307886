using System.Net;
using System.Net.Sockets;
using Portico.CommandLanguage;

namespace Portico.Acl;

/// <summary>Value parsers the ACL commands share.</summary>
internal static class AclValues
{
    /// <summary>One or more rule names (<c>rm ns simpleacl a b c</c>).</summary>
    public static readonly ValueParser Names = words =>
    {
        Values.ExpectCount(words, 1, int.MaxValue);
        var names = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            try
            {
                names.Add((string)Values.Name([words[i]]));
            }
            catch (ValueException e)
            {
                throw new ValueException(i, e.Message);
            }
        }

        return names;
    };

    /// <summary>A TTL in seconds: a multiple of 4 from 4 to 2147483647, as NetScaler takes it.</summary>
    public static readonly ValueParser TtlMultipleOfFour = words =>
    {
        var seconds = (long)Values.Int(4, int.MaxValue)(words);
        return seconds % 4 == 0
            ? seconds
            : throw new ValueException(0, $"expected a TTL in seconds that is a multiple of 4 (NetScaler counts simple ACL lifetimes in 4-second steps), like {seconds / 4 * 4 + 4}");
    };

    /// <summary>A TTL in seconds, 1 to 2147483647 (extended ACLs).</summary>
    public static readonly ValueParser Ttl = Values.Int(1, int.MaxValue);

    /// <summary>One address of <paramref name="family"/>.</summary>
    public static ValueParser Address(AclFamily family) => words =>
    {
        var ip = (IPAddress)Values.Ip(words);
        return family switch
        {
            AclFamily.V4 when ip.AddressFamily != AddressFamily.InterNetwork =>
                throw new ValueException(0, "expected an IPv4 address (IPv6 sources are add ns simpleacl6 ... -srcIPv6)"),
            AclFamily.V6 when ip.AddressFamily != AddressFamily.InterNetworkV6 =>
                throw new ValueException(0, "expected an IPv6 address (IPv4 sources are add ns simpleacl ... -srcIP)"),
            _ => ip,
        };
    };

    /// <summary>The <c>aclaction</c> of a simple ACL: DENY is the only one.</summary>
    public static readonly ValueParser SimpleAction = words =>
    {
        Values.ExpectCount(words, 1, 1);
        return words[0].Text.Equals("DENY", StringComparison.OrdinalIgnoreCase)
            ? AclAction.Deny
            : throw new ValueException(0, "expected DENY: a simple ACL only drops (ALLOW and BRIDGE are extended ACLs: add ns acl)");
    };

    /// <summary>The <c>aclaction</c> of an extended ACL: ALLOW or DENY; BRIDGE is NetScaler's, not Portico's.</summary>
    public static readonly ValueParser ExtendedAction = words =>
    {
        Values.ExpectCount(words, 1, 1);
        return words[0].Text.ToUpperInvariant() switch
        {
            "ALLOW" => AclAction.Allow,
            "DENY" => AclAction.Deny,
            "BRIDGE" => throw new UnsupportedValueException(0,
                "ACL action BRIDGE is not supported by Portico: it forwards packets untouched past the load balancer, and Portico is a proxy that terminates every connection"),
            _ => throw new ValueException(0, "expected ALLOW, DENY or BRIDGE"),
        };
    };

    /// <summary>
    /// <c>-td</c>: Portico has one traffic domain, 0. A rule for another domain would apply to traffic it was
    /// never meant for, so such a line is kept but not applied.
    /// </summary>
    public static readonly ValueParser TrafficDomain = words =>
    {
        var td = (long)Values.Int(0, 4094)(words);
        return td == 0
            ? td
            : throw new UnsupportedValueException(0, $"traffic domain {td} is not supported by Portico (it has only the default domain 0)");
    };

    /// <summary>Throws <see cref="UnsupportedCommandException"/> when the line names a traffic domain other than 0.</summary>
    public static void RequireDefaultDomain(ParsedCommand c)
    {
        if (c.Kept.FirstOrDefault(k => k.Name.Equals("td", StringComparison.OrdinalIgnoreCase)) is { } td)
        {
            throw new UnsupportedCommandException($"-td {string.Join(' ', td.Words)}: Portico has only the default traffic domain 0, and the rule would apply to traffic of every domain; the line is kept but not applied");
        }
    }

    /// <summary>The family's word for <c>show</c> and errors: <c>ns simpleacl</c> or <c>ns simpleacl6</c>.</summary>
    public static string Suffix(AclFamily family) => family == AclFamily.V4 ? "" : "6";
}
