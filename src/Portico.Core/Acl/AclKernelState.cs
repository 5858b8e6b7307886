namespace Portico.Acl;

/// <summary>
/// Whether a rule is in force, as <c>show ns acl</c> says it (NetScaler's "Applied Status", the NITRO
/// <c>kernelstate</c>).
/// </summary>
public enum AclKernelState
{
    /// <summary>In force as configured.</summary>
    Applied,

    /// <summary>Added but not yet applied: no effect until <c>apply ns acls</c>.</summary>
    NotApplied,

    /// <summary>Changed (set, enabled, disabled, renumbered) since it was applied: the applied version is in force.</summary>
    ReApply,

    /// <summary>Removed but still in force until <c>apply ns acls</c>.</summary>
    Delete,
}
