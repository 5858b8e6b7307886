namespace Portico.Runtime;

/// <summary>
/// The policy that picks a member for a new connection or request (<c>-lbMethod</c>). An instance
/// belongs to one vserver and one config generation; it precomputes what it can so a pick is cheap.
/// </summary>
public interface IBalancingMethod
{
    /// <summary>The member to use, or null when none can take the connection.</summary>
    BalancingMember? Choose(in BalancingContext context);

    /// <summary>Called when a member's health changed, so tables built over healthy members are rebuilt.</summary>
    void OnMembershipChanged();
}
