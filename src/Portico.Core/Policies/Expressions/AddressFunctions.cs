namespace Portico.Policies.Expressions;

/// <summary>Functions of addresses: equality, subnets, NetScaler's location match, the text form.</summary>
internal static class AddressFunctions
{
    public static readonly string[] Names = ["EQ", "NE", "IN_SUBNET", "MATCHES_LOCATION", "TYPECAST_TEXT_T"];

    public static Node? Apply(ExpressionParser p, Node receiver, string name, string path)
    {
        var f = receiver.Address;
        switch (name)
        {
            case "EQ" or "NE":
                var address = Normal(Arguments.Address(p, path));
                var equal = name == "EQ";
                return Node.Of(r => Normal(f(r)).Equals(address) == equal, path);
            case "IN_SUBNET":
                var subnet = Arguments.Subnet(p, path);
                return Node.Of(r => subnet.Contains(Normal(f(r))), path);
            case "MATCHES_LOCATION":
                return Location(p, receiver, path);
            case "TYPECAST_TEXT_T":
                Arguments.None(p);
                return Node.Of(r => Normal(f(r)).ToString(), path);
            default:
                return null;
        }
    }

    /// <summary>
    /// <c>MATCHES_LOCATION("Europe.GB.*")</c>: NetScaler's qualifiers continent, country, region, city, matched
    /// one by one; <c>*</c> matches anything and missing trailing qualifiers match too.
    /// </summary>
    private static Node Location(ExpressionParser p, Node receiver, string path)
    {
        var f = receiver.Address;
        var at = p.Current;
        var pattern = Arguments.LiteralText(p, path, "a location such as \"Europe.GB.*\"");
        var locate = p.Context.Locate
            ?? throw new ExpressionException(at.Column + 1, "MATCHES_LOCATION needs a location database: set ns geoip -database FILE first");
        var wanted = pattern.Split('.');
        if (wanted.Length > 6 || wanted.Any(w => w.Length == 0))
        {
            throw new ExpressionException(at.Column + 1, $"'{pattern}' is not a location: qualifiers separated by dots, such as \"Europe.GB.*\"");
        }

        return Node.Of(r =>
        {
            var have = locate(Normal(f(r)));
            for (var i = 0; i < wanted.Length; i++)
            {
                if (wanted[i] == "*")
                {
                    continue;
                }

                if (i >= have.Length || !string.Equals(have[i], wanted[i], StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }

            return true;
        }, path);
    }

    // Dual-stack sockets show IPv4 clients as ::ffff:a.b.c.d; rules are written with the IPv4 form.
    private static System.Net.IPAddress Normal(System.Net.IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
}
