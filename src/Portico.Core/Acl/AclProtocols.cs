using Portico.CommandLanguage;

namespace Portico.Acl;

/// <summary>
/// IP protocol names NetScaler's ACL commands take, with their IANA numbers. Portico proxies TCP and UDP
/// connections, so only rules for TCP (6), UDP (17) or any protocol ever match; rules for the others are
/// kept and shown, and the batch says they have no effect.
/// </summary>
public static class AclProtocols
{
    /// <summary>TCP's protocol number.</summary>
    public const byte Tcp = 6;

    /// <summary>UDP's protocol number.</summary>
    public const byte Udp = 17;

    private static readonly (string Name, byte Number)[] Names =
    [
        ("ICMP", 1), ("IGMP", 2), ("TCP", 6), ("EGP", 8), ("IGP", 9), ("ARGUS", 13), ("UDP", 17), ("RDP", 27),
        ("RSVP", 46), ("ICMPV6", 58), ("EIGRP", 88), ("L2TP", 115), ("ISIS", 124),
    ];

    /// <summary>The name of a protocol number, or null when NetScaler has no name for it.</summary>
    public static string? NameOf(byte number) => Names.FirstOrDefault(n => n.Number == number).Name;

    /// <summary><c>-protocol</c> of <c>ns acl</c>: a protocol name.</summary>
    public static ValueParser Parser(AclFamily family) => words =>
    {
        Values.ExpectCount(words, 1, 1);
        var allowed = family == AclFamily.V4 ? Names.Where(n => n.Name != "ICMPV6") : Names.Where(n => n.Name is "ICMPV6" or "TCP" or "UDP");
        var match = allowed.FirstOrDefault(n => n.Name.Equals(words[0].Text, StringComparison.OrdinalIgnoreCase));
        return match.Name is not null
            ? match.Number
            : throw new ValueException(0, $"expected a protocol: {string.Join(", ", allowed.Select(n => n.Name))} (or -protocolNumber 1..255)");
    };

    /// <summary><c>-protocol</c> of simple ACLs: TCP or UDP only.</summary>
    public static readonly ValueParser TcpOrUdp = words =>
    {
        Values.ExpectCount(words, 1, 1);
        return words[0].Text.ToUpperInvariant() switch
        {
            "TCP" => Tcp,
            "UDP" => Udp,
            _ => throw new ValueException(0, "expected TCP or UDP (a simple ACL filters one protocol's port)"),
        };
    };
}
