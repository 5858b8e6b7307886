using System.Net;
using Portico.CommandLanguage;

namespace Portico.Acl;

/// <summary>
/// A simple ACL (<c>add ns simpleacl</c>, <c>add ns simpleacl6</c>): drop one source address, on every
/// port or on one protocol's destination port, forever or until its TTL runs out. Rules cannot be
/// changed, only removed and added again, as on NetScaler.
/// </summary>
/// <param name="Name">The rule's name; unique within its family.</param>
/// <param name="Family">IPv4 (<c>simpleacl</c>) or IPv6 (<c>simpleacl6</c>).</param>
/// <param name="Source">The one address whose connections are dropped.</param>
/// <param name="Protocol">TCP (6) or UDP (17) with <paramref name="DestinationPort"/>; 0 for every protocol.</param>
/// <param name="DestinationPort">The port; 0 for every port (an all-ports rule).</param>
/// <param name="TtlSeconds">Lifetime from the moment it was added; null for a permanent rule (the only kind <c>save config</c> writes).</param>
/// <param name="ExpiresAtTicks">UTC ticks when the rule stops matching; 0 for never.</param>
/// <param name="Kept">NetScaler options kept without effect (<c>-td</c>).</param>
public sealed record SimpleAcl(
    string Name,
    AclFamily Family,
    IPAddress Source,
    byte Protocol,
    int DestinationPort,
    long? TtlSeconds,
    long ExpiresAtTicks,
    IReadOnlyList<KeptOption> Kept)
{
    /// <summary>The source as the lookup table keys it.</summary>
    public UInt128 Key { get; } = AclAddress.Key(Source);

    /// <summary>Creation order, given by the set; <c>show</c> and <c>save config</c> list rules in it.</summary>
    public long Sequence { get; init; }

    /// <summary>Hits, shared by every copy of the record.</summary>
    public RuleCounters Counters { get; init; } = new();

    /// <summary>The reason a denied connection is given, built at the first denial rather than per connection.</summary>
    public string DenyReason => field ??= $"simple ACL {Name}";

    /// <summary>True for a rule without port and protocol: it covers everything from its source.</summary>
    public bool AllPorts => DestinationPort == 0;

    /// <summary>True once the TTL has run out at <paramref name="nowTicks"/> (UTC ticks).</summary>
    public bool IsExpired(long nowTicks) => ExpiresAtTicks != 0 && nowTicks >= ExpiresAtTicks;

    /// <summary>Seconds left at <paramref name="nowTicks"/>, rounded up; null for a permanent rule.</summary>
    public long? RemainingSeconds(long nowTicks) =>
        ExpiresAtTicks == 0 ? null : Math.Max(0, (ExpiresAtTicks - nowTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
}
