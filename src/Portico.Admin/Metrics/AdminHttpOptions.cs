using System.Globalization;
using System.Net;

namespace Portico.Admin.Metrics;

/// <summary>
/// Where the admin HTTP listener (<c>/metrics</c>, NITRO) listens, from <c>portico run --admin-http</c>:
/// <c>127.0.0.1:9190</c> by default, <c>none</c> for no listener. Plain HTTP is loopback only: NITRO passwords and
/// session tokens would cross the network in clear, so other hosts reach the listener through <see cref="Https"/>.
/// </summary>
public sealed record AdminHttpOptions(IPEndPoint? EndPoint)
{
    public const string DefaultEndpoint = "127.0.0.1:9190";

    /// <summary>
    /// The address is the default, not the operator's choice: if it is taken (a second Portico on the host),
    /// Portico runs without <c>/metrics</c> and says so, rather than refusing to start. A chosen address that is
    /// taken stops the start.
    /// </summary>
    public bool Optional { get; init; }

    public static readonly AdminHttpOptions None = new((IPEndPoint?)null);

    /// <summary>The same listener over TLS with its own certificate (<c>--admin-https</c>); null for none.</summary>
    public AdminHttpsOptions? Https { get; init; }

    /// <summary>
    /// <paramref name="allowRemote"/> is for a host that puts TLS of its own in front of plain HTTP; <c>portico run</c>
    /// never sets it.
    /// </summary>
    public static AdminHttpOptions Parse(string text, bool allowRemote)
    {
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return None;
        }

        if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal))
        {
            throw new FormatException($"'{text}' is not address:port (like {DefaultEndpoint}, [::1]:9190) or none");
        }

        if (!IPAddress.IsLoopback(endpoint.Address) && !allowRemote)
        {
            throw new FormatException($"{endpoint} is not a loopback address: plain HTTP would carry NITRO passwords and session tokens in clear; "
                + "for other hosts use --admin-https ADDRESS:PORT --admin-cert FILE --admin-key FILE (TLS with the admin listener's own certificate)");
        }

        return new AdminHttpOptions(endpoint);
    }

    public override string ToString() => EndPoint?.ToString() ?? "none";

    internal static string Port(IPEndPoint e) => e.Port.ToString(CultureInfo.InvariantCulture);
}
