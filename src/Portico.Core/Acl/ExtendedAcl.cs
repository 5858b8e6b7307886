using Portico.CommandLanguage;
using Portico.Geo;

namespace Portico.Acl;

/// <summary>What an extended ACL does with a connection it matches.</summary>
public enum AclAction
{
    /// <summary>Let it through (no later rule is consulted).</summary>
    Allow,

    /// <summary>Reset it before a byte is read.</summary>
    Deny,
}

/// <summary>
/// An extended ACL (<c>add ns acl</c>, <c>add ns acl6</c>): conditions on source and destination address
/// and port, protocol and (a Portico extension) the client's country, an action, and a priority. A
/// condition left out matches everything. Changes are pending until <c>apply ns acls</c>.
/// </summary>
public sealed record ExtendedAcl(string Name, AclFamily Family, AclAction Action)
{
    public AclRange? Source { get; init; }

    public AclRange? Destination { get; init; }

    public AclRange? SourcePort { get; init; }

    public AclRange? DestinationPort { get; init; }

    /// <summary>The IP protocol number; 0 for any.</summary>
    public byte Protocol { get; init; }

    /// <summary>True when given as <c>-protocolNumber</c> rather than by name (it is written back the same way).</summary>
    public bool ProtocolByNumber { get; init; }

    /// <summary><c>-srcCountry</c>, a Portico extension.</summary>
    public CountryMatch? SourceCountry { get; init; }

    /// <summary>Lower is evaluated first.</summary>
    public long Priority { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary><c>-logstate ENABLED</c>: every match is logged, at most <see cref="RateLimit"/> lines a second.</summary>
    public bool Log { get; init; }

    public long RateLimit { get; init; } = DefaultRateLimit;

    /// <summary>Lifetime from the moment it was added; null for a permanent rule.</summary>
    public long? TtlSeconds { get; init; }

    /// <summary>UTC ticks when the rule stops matching; 0 for never.</summary>
    public long ExpiresAtTicks { get; init; }

    /// <summary><c>-established</c>: only TCP packets with ACK or RST. Kept; a new connection never has them.</summary>
    public bool Established { get; init; }

    /// <summary>Creation order: breaks ties and orders <c>show</c>.</summary>
    public long Sequence { get; init; }

    public IReadOnlyList<KeptOption> Kept { get; init; } = [];

    /// <summary>Hits, shared by every copy of the rule.</summary>
    public RuleCounters Counters { get; init; } = new();

    /// <summary>The reason a denied connection is given, built once rather than per connection.</summary>
    public string DenyReason => field ??= $"ACL{(Family == AclFamily.V6 ? "6" : "")} {Name}";

    /// <summary>NetScaler's default <c>-ratelimit</c>: log lines per second.</summary>
    public const long DefaultRateLimit = 100;

    /// <summary>True once the TTL has run out at <paramref name="nowTicks"/>.</summary>
    public bool IsExpired(long nowTicks) => ExpiresAtTicks != 0 && nowTicks >= ExpiresAtTicks;

    /// <summary>
    /// True when the rule can ever match a new connection Portico sees: TCP or UDP (Portico never sees
    /// ICMP and the like), and not <c>-established</c> (a connection's first packet has no ACK or RST).
    /// </summary>
    public bool CanMatchTcpOrUdp => (Protocol is 0 or AclProtocols.Tcp or AclProtocols.Udp) && !Established;
}
