using Portico.Runtime;

namespace Portico.Runtime;

/// <summary>A member as a vserver balances it: the service and the weight of its binding.</summary>
public sealed record BalancingMember(ServiceRuntime Service, int Weight)
{
    /// <summary>Can take a new connection now: enabled, UP and below <c>-maxClient</c>.</summary>
    public bool CanTake => Service.IsAvailable && Service.HasCapacity;
}
