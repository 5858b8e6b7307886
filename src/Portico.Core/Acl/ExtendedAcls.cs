namespace Portico.Acl;

/// <summary>The extended ACLs of both families, as the running config holds them.</summary>
public sealed record ExtendedAcls(ExtendedAclSet V4, ExtendedAclSet V6)
{
    public static readonly ExtendedAcls Empty = new(ExtendedAclSet.Empty(AclFamily.V4), ExtendedAclSet.Empty(AclFamily.V6));

    public ExtendedAclSet this[AclFamily family] => family == AclFamily.V4 ? V4 : V6;

    public ExtendedAcls With(ExtendedAclSet set) => set.Family == AclFamily.V4 ? this with { V4 = set } : this with { V6 = set };
}
