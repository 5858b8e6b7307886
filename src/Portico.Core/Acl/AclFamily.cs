namespace Portico.Acl;

/// <summary>
/// Which address family a rule filters: NetScaler keeps separate objects for each (<c>ns simpleacl</c>
/// and <c>ns simpleacl6</c>, <c>ns acl</c> and <c>ns acl6</c>) with their own names and their own apply.
/// </summary>
public enum AclFamily
{
    /// <summary>IPv4 (<c>ns simpleacl</c>, <c>ns acl</c>).</summary>
    V4,

    /// <summary>IPv6 (<c>ns simpleacl6</c>, <c>ns acl6</c>).</summary>
    V6,
}
