using Portico.CommandLanguage;

namespace Portico.HighAvailability;

/// <summary>What the operator lets this node be (<c>set HA node -haStatus</c>).</summary>
public enum HaStatus
{
    /// <summary>Takes part in elections: primary when the peer is gone or hands over.</summary>
    Enabled,

    /// <summary>Stays primary whatever the peer says (a maintenance window on the other node).</summary>
    StayPrimary,

    /// <summary>Never becomes primary; keeps syncing from the primary.</summary>
    StaySecondary,

    /// <summary>Out of the pair: never primary.</summary>
    Disabled,
}

/// <summary>The role a node plays in the pair.</summary>
public enum HaRole
{
    /// <summary>Owns the VIPs and SNIPs, listens, sends its config to the secondary.</summary>
    Primary,

    /// <summary>Owns nothing; listens on nothing; takes the primary's config.</summary>
    Secondary,
}

/// <summary>NetScaler's words for the HA enums.</summary>
public static class HaWords
{
    public static readonly KeywordMap<HaStatus> Statuses = new(
        ("ENABLED", HaStatus.Enabled), ("STAYPRIMARY", HaStatus.StayPrimary), ("STAYSECONDARY", HaStatus.StaySecondary), ("DISABLED", HaStatus.Disabled));

    public static readonly KeywordMap<HaRole> Roles = new(("Primary", HaRole.Primary), ("Secondary", HaRole.Secondary));
}
