namespace Portico.Health;

/// <summary>The kinds of event the Health concern records in the event log (<c>show ns events</c>).</summary>
public static class HealthEvents
{
    /// <summary>A member's monitors (or passive health) marked it DOWN; the message names the layer.</summary>
    public const string ServiceDown = "SERVICE_DOWN";

    /// <summary>A member's monitors all pass again.</summary>
    public const string ServiceUp = "SERVICE_UP";

    /// <summary>A member was disabled by configuration (itself, its server or its group).</summary>
    public const string ServiceOutOfService = "SERVICE_OUT_OF_SERVICE";

    /// <summary>A disabled member was enabled again.</summary>
    public const string ServiceInService = "SERVICE_IN_SERVICE";

    /// <summary><c>-disablePrimaryOnDown</c> holds a vserver on its backup.</summary>
    public const string PrimaryDisabled = "VSERVER_PRIMARY_DISABLED";

    /// <summary><c>enable lb vserver</c> released a held primary.</summary>
    public const string PrimaryEnabled = "VSERVER_PRIMARY_ENABLED";
}
