using System.Collections.Immutable;

namespace Portico.SystemUsers;

/// <summary>
/// An administrator of Portico (<c>add system user</c>): a name, the salted hash of the password (never the
/// password), and the command policies bound to it by priority.
/// </summary>
public sealed record SystemUser(string Name, string PasswordHash)
{
    public ImmutableArray<PolicyBinding> Policies { get; init; } = [];

    /// <summary>
    /// The policy in force: the bound one with the lowest priority number, as NetScaler evaluates them (the
    /// built-in policies all allow, so the first match decides); null when none is bound and the user may do nothing.
    /// </summary>
    public CommandPolicy? Policy => Policies.IsEmpty ? null : Policies.MinBy(p => p.Priority)!.Policy;
}

/// <summary>One <c>bind system user NAME -policyName POLICY PRIORITY</c>.</summary>
public sealed record PolicyBinding(CommandPolicy Policy, int Priority);
