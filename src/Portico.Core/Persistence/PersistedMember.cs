using Portico.Runtime;

namespace Portico.Persistence;

/// <summary>A member a vserver's chain may persist a client to: its binding and the vserver that balances it.</summary>
internal readonly record struct PersistedMember(BalancingMember Binding, VserverRuntime Owner)
{
    /// <summary>
    /// The member, reserved, if it can take the client now. A member that went down or is full loses its clients
    /// to balancing, as on NetScaler; so does a backup vserver's member once the primary can serve again.
    /// </summary>
    public Selection? Take(VserverRuntime vserver) =>
        Binding.CanTake && VserverSelector.ServesNow(vserver, Owner) && Binding.Service.TryReserve()
            ? new Selection(Binding, Owner)
            : null;
}
