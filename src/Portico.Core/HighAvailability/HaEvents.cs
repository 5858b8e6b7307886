namespace Portico.HighAvailability;

/// <summary>The kinds of event the HA pair records in the event log (<c>show ns events</c>).</summary>
public static class HaEvents
{
    /// <summary>This node became primary or secondary; the message says why.</summary>
    public const string StateChange = "HA_STATE_CHANGE";

    /// <summary>The peer started or stopped answering heartbeats.</summary>
    public const string PeerChange = "HA_PEER_CHANGE";

    /// <summary>Config sync: this node's config is about to be replaced, was replaced, or could not be.</summary>
    public const string Sync = "HA_SYNC";

    /// <summary>An owned address could not be added, removed or announced.</summary>
    public const string Address = "HA_ADDRESS";
}
