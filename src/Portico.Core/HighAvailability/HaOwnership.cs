using Portico.Listeners;

namespace Portico.HighAvailability;

/// <summary>The listeners' side of the pair: while this node is the secondary, no vserver listens here.</summary>
public sealed class HaOwnership : IVipOwnershipPolicy
{
    private volatile string? _standby;

    /// <summary>Why this node serves nothing now, or null when it serves (primary, or no HA pair).</summary>
    public string? Standby
    {
        get => _standby;
        internal set => _standby = value;
    }

    public string? StandbyReason(IListeningVserver vserver) => _standby;
}
