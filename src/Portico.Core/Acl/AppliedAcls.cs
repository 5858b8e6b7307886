using System.Collections.Immutable;
using Portico.Acl.Compiled;

namespace Portico.Acl;

/// <summary>The rules of one family as the last <c>apply</c> left them, and the table compiled from them.</summary>
public sealed class AppliedAcls(ImmutableDictionary<string, ExtendedAcl> byName, AclTable table, long appliedAtTicks)
{
    public static readonly AppliedAcls None = new(ImmutableDictionary.Create<string, ExtendedAcl>(StringComparer.Ordinal), AclTable.Empty, 0);

    /// <summary>Every rule as applied (disabled ones too), by name.</summary>
    public ImmutableDictionary<string, ExtendedAcl> ByName { get; } = byName;

    /// <summary>What the data path evaluates.</summary>
    public AclTable Table { get; } = table;

    /// <summary>UTC ticks of the apply; 0 before the first.</summary>
    public long AppliedAtTicks { get; } = appliedAtTicks;
}
