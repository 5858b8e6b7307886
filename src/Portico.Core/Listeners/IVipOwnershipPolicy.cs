namespace Portico.Listeners;

/// <summary>
/// Whether this node serves a vserver's address now. Without one registered every vserver listens; the HA
/// pair registers one so that only the primary listens on the VIPs and the secondary's listeners stop.
/// A policy whose answer changes calls <see cref="ListenerManager.Refresh"/>.
/// </summary>
public interface IVipOwnershipPolicy
{
    /// <summary>Null when this node serves <paramref name="vserver"/>; otherwise why not, as <c>show lb vserver</c> prints it.</summary>
    string? StandbyReason(IListeningVserver vserver);
}
