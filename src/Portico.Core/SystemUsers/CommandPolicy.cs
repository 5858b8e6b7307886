namespace Portico.SystemUsers;

/// <summary>
/// NetScaler's built-in command policies that Portico enforces (<c>bind system user NAME -policyName P N</c>).
/// The word is the operator's (<c>superuser</c>, <c>operator</c>, <c>read-only</c>); see <see cref="CommandPolicies"/>.
/// </summary>
public enum CommandPolicy
{
    /// <summary><c>read-only</c>: show (but not of users or the running config) and stat.</summary>
    ReadOnly,

    /// <summary><c>operator</c>: what read-only may, plus enable/disable of servers, services and vservers, and save config.</summary>
    Operator,

    /// <summary><c>superuser</c>: every command.</summary>
    Superuser,
}
