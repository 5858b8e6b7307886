using System.Globalization;
using System.Net;

namespace Portico.Admin.Metrics;

/// <summary>
/// Where the admin HTTP listener (<c>/metrics</c>) listens, from <c>portico run --admin-http</c>:
/// <c>127.0.0.1:9190</c> by default, <c>none</c> for no listener. A non-loopback address is refused unless
/// the operator asked for it (<c>--admin-http-remote</c>): counters name every vserver and server.
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
            throw new FormatException($"{endpoint} is not a loopback address: every counter names your vservers and servers; add --admin-http-remote if it should be reachable from other hosts");
        }

        return new AdminHttpOptions(endpoint);
    }

    public override string ToString() => EndPoint?.ToString() ?? "none";

    internal static string Port(IPEndPoint e) => e.Port.ToString(CultureInfo.InvariantCulture);
}
