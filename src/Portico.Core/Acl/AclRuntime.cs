using Portico.Acl.Compiled;
using Portico.Geo;

namespace Portico.Acl;

/// <summary>
/// What the admission policy reads, once per connection: the simple ACL set, the applied table of each
/// family and the GeoIP database. Swapped whole on every config change that touches them.
/// </summary>
internal sealed record AclRuntime(SimpleAclSet Simple, AclTable V4, AclTable V6, GeoDatabase? Geo)
{
    public static readonly AclRuntime Empty = new(SimpleAclSet.Empty, AclTable.Empty, AclTable.Empty, null);

    public AclTable Table(AclFamily family) => family == AclFamily.V4 ? V4 : V6;
}
