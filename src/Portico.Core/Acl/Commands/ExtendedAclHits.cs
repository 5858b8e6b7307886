using Portico.Configuration;

namespace Portico.Acl.Commands;

/// <summary><c>stat ns acl[6] NAME</c>: one rule's hits.</summary>
internal sealed record ExtendedAclHits(AclFamily Family, string Name, long Hits) : IQueryResult
{
    public string ToText() => $"Hits for this ACL{AclValues.Suffix(Family)} (Hits): {Hits}\n";
}
