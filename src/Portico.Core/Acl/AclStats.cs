namespace Portico.Acl;

/// <summary>
/// Totals of one kind of ACL for one family, as <c>stat ns simpleacl</c> and <c>stat ns acl</c> show
/// them (NetScaler's SACLHits/SACLMiss/SACLDeny and ACLHits/ACLMiss/ACLAllow/ACLDeny). Counted per
/// connection (TCP) or per datagram without a session (UDP), where NetScaler counts packets.
/// </summary>
public sealed class AclStats
{
    /// <summary>Connections a rule matched.</summary>
    public long Hits;

    /// <summary>Connections no rule matched.</summary>
    public long Misses;

    /// <summary>Matches of ALLOW rules.</summary>
    public long Allowed;

    /// <summary>Matches of DENY rules: connections reset before a byte was read.</summary>
    public long Denied;
}
