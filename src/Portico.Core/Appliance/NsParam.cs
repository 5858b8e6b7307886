using Portico.CommandLanguage;

namespace Portico.Appliance;

/// <summary>Global settings (<c>set ns param</c>).</summary>
/// <param name="ClientIpHeader">Header used by <c>-cip ENABLED</c> when a service names none.</param>
public sealed record NsParam(string? ClientIpHeader, IReadOnlyList<KeptOption> Kept)
{
    public static readonly NsParam Default = new(null, []);

    /// <summary>NetScaler's default client-IP header name.</summary>
    public const string DefaultClientIpHeader = "client-ip";
}
