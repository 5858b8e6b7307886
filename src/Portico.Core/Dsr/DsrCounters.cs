namespace Portico.Dsr;

/// <summary>
/// Counters of one DSR vserver, kept across config changes that keep its name. Written only by the
/// forwarder thread of its interface (plain increments: one writer), read by show commands.
/// </summary>
public sealed class DsrCounters
{
    /// <summary>Frames forwarded to a real server.</summary>
    public long Packets;

    /// <summary>Bytes of those frames (Ethernet frames as received, segments of a GSO frame counted together).</summary>
    public long Bytes;

    /// <summary>Flows given a server: first packets, and packets of flows whose server left.</summary>
    public long Flows;

    /// <summary>Flows refused by a simple or extended ACL (their first packet, and every later one, dropped).</summary>
    public long Denied;

    /// <summary>Frames dropped because no server of the vserver was available.</summary>
    public long NoMember;
}
