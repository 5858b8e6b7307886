using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>
/// Every NetScaler's saved config tunes the appliance's own objects: its management services
/// (<c>set service nshttpd-gui-127.0.0.1-80 -cip ENABLED</c>, <c>set ssl service nskrpcs-127.0.0.1-3009 ...</c>)
/// and its built-in monitors of types Portico lacks (<c>set lb monitor http2direct HTTP2 ...</c>). They are
/// no part of the operator's farm and Portico has no such objects: such a line is kept and written back,
/// and reported as kept without effect rather than as a missing feature.
/// </summary>
internal static class NetScalerBuiltIns
{
    /// <summary>NetScaler's built-in monitors, by name (the ones of types Portico has are in Health.BuiltInMonitors).</summary>
    private static readonly HashSet<string> Monitors = new(StringComparer.OrdinalIgnoreCase)
    {
        "http2direct", "http2ssl", "ldns-dns", "ldns-ping", "ldns-tcp", "stasecure", "sta", "arp", "nd6", "dns", "dns-tcp",
        "ftp", "tcps", "https", "https-ecv", "udp", "udp-ecv", "ping-default", "tcp-default", "http-ecv", "tcp-ecv", "ping",
        "tcp", "http", "gslb-local", "icmp", "citrix-xd-ddc", "citrix-wi-extended", "citrix-xml-service",
    };

    /// <summary>The reason a line only tunes a NetScaler built-in object, or null.</summary>
    public static string? Describe(string text)
    {
        List<Token> t;
        try
        {
            t = Tokenizer.Split(text, 0);
        }
        catch (ConfigErrorException)
        {
            return null;
        }

        if (t.Count >= 3 && (Is(t[0], "enable") || Is(t[0], "disable")) && Is(t[1], "ns") && Is(t[2], "feature"))
        {
            // Every saved ns.conf switches its licensed features on; Portico's are always on (show ns feature).
            return "'enable|disable ns feature' is NetScaler's built-in license switch; Portico's features are always on (show ns feature): kept, no effect";
        }

        if (t.Count < 3 || !(Is(t[0], "set") || Is(t[0], "bind") || Is(t[0], "unset")))
        {
            return null;
        }

        var (obj, name) = Is(t[1], "ssl") && t.Count > 3 ? ("ssl " + t[2].Text, t[3].Text) : Is(t[1], "lb") && t.Count > 3 ? ("lb " + t[2].Text, t[3].Text) : (t[1].Text, t[2].Text);
        if ((obj.Equals("service", StringComparison.OrdinalIgnoreCase) || obj.Equals("ssl service", StringComparison.OrdinalIgnoreCase)) && IsInternalService(name))
        {
            return $"'{name}' is a NetScaler built-in service (the appliance's own management), which Portico does not have: kept, no effect";
        }

        if (obj.Equals("lb monitor", StringComparison.OrdinalIgnoreCase) && Is(t[0], "set") && Monitors.Contains(name))
        {
            return $"'{name}' is a NetScaler built-in monitor whose settings every saved config writes; Portico has no such monitor: kept, no effect";
        }

        return null;
    }

    /// <summary>NetScaler names its internal services <c>ns...-127.0.0.1-port</c> or <c>ns...-::1l-port</c>.</summary>
    public static bool IsInternalService(string name) =>
        name.StartsWith("ns", StringComparison.Ordinal) && (name.Contains("-127.0.0.1-", StringComparison.Ordinal) || name.Contains("-::1", StringComparison.Ordinal));

    private static bool Is(Token t, string word) => t.Text.Equals(word, StringComparison.OrdinalIgnoreCase);
}
