using Portico.CommandLanguage;

namespace Portico.LoadBalancing;

/// <summary>The connection settings services and service groups share.</summary>
/// <param name="MaxClient">Most concurrent connections to the member; 0 means no limit.</param>
/// <param name="ClientTimeout">Idle seconds before the client side is closed; null means the vserver's or the default.</param>
/// <param name="ServerTimeout">Idle seconds before the server side is closed; null means the default.</param>
/// <param name="Usip">Use the client's address as source toward the server; null inherits <c>ns mode USIP</c>.</param>
/// <param name="UseProxyPort">With USIP, whether Portico picks the source port (YES) or keeps the client's (NO).</param>
/// <param name="ClientIpHeader">Insert the client's address in this HTTP header (<c>-cip ENABLED hdr</c>); null when disabled.</param>
/// <param name="ClientIpEnabled">Whether <c>-cip ENABLED</c> was given.</param>
/// <param name="NetProfile">The <c>ns netProfile</c> (PROXY protocol toward the server, source IP); null for none.</param>
/// <param name="HealthMonitor">False for <c>-healthMonitor NO</c>: no probes, and the member is UP at all times.</param>
/// <param name="PassiveFailures">Failures of live traffic that mark the member DOWN (<c>-passiveFailures</c>, 0 = off); null for the default (3).</param>
public sealed record BackendSettings(
    long MaxClient = 0,
    long? ClientTimeout = null,
    long? ServerTimeout = null,
    bool? Usip = null,
    bool UseProxyPort = true,
    bool ClientIpEnabled = false,
    string? ClientIpHeader = null,
    string? NetProfile = null,
    bool HealthMonitor = true,
    int? PassiveFailures = null)
{
    public static readonly BackendSettings Default = new();
}
