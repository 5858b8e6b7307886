using System.Net;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Appliance.Commands;

/// <summary><c>add|set|rm|show ns ip</c>, <c>set|unset|show ns param</c>, <c>enable|disable|show ns mode|feature</c>.</summary>
internal sealed class NsCommands : ICommandModule
{
    private static readonly string[] IpKept =
    [
        "vServer", "mgmtAccess", "telnet", "ftp", "gui", "ssh", "snmp", "restrictAccess", "dynamicRouting", "ospf",
        "bgp", "rip", "hostRoute", "hostRtGw", "metric", "vserverRHILevel", "ospfLSAType", "ospfArea", "state",
        "vrID", "icmpResponse", "ownerNode", "arpResponse", "ownerDownResponse", "td", "arp", "icmp", "decrementTTL",
        "advertiseondefaultpartition", "networkroute", "tag", "mptcpAdvertise", "arpOwner",
    ];

    private static readonly string[] ParamKept =
    [
        "httpPort", "maxConn", "maxReq", "cip", "cookieversion", "securecookie", "pmtuMin", "pmtuTimeout",
        "ftpPortRange", "crPortRange", "timezone", "grantQuotaMaxClient", "exclusiveQuotaMaxClient",
        "grantQuotaSpillOver", "exclusiveQuotaSpillOver", "useproxyport", "internaluserlogin",
        "aftpAllowRandomSourcePort", "icaPorts", "tcpCIP", "servicePathIngressVlan", "secureICAPorts",
        "mgmtHttpPort", "mgmtHttpsPort", "proxyProtocol", "advancedAnalyticsStats", "ipttl",
    ];

    /// <summary>NetScaler's <c>ns mode</c> words; only USIP changes what Portico does.</summary>
    internal static readonly string[] ModeWords =
    [
        "FR", "L2", "USIP", "CKA", "TCPB", "CMP", "OFF", "L3", "SPF", "DRADV", "DRADV6", "IRADV", "IRADV6",
        "SingleIP", "MBF", "Edge", "USNIP", "PMTUD", "SRADV", "SRADV6", "BridgeBPDUs", "RISE_APBR", "RISE_RHI",
        "ULFD", "MediaClassification",
    ];

    private static readonly ValueParser Modes = words =>
    {
        Values.ExpectCount(words, 1, int.MaxValue);
        for (var i = 0; i < words.Count; i++)
        {
            if (!ModeWords.Contains(words[i].Text, StringComparer.OrdinalIgnoreCase))
            {
                throw new ValueException(i, $"expected ns mode words: {string.Join(", ", ModeWords)}");
            }
        }

        return words.Select(w => ModeWords.First(m => m.Equals(w.Text, StringComparison.OrdinalIgnoreCase))).ToList();
    };

    public void Register(CommandRegistry r)
    {
        r.Sections.AddLines("ns mode, ns param, ns ip", ConfigRank.Appliance, ApplianceLines.Write);

        r.Mutation("add", "ns ip", "Adds an address Portico owns; a SNIP is a source for server connections")
            .Positional("IPAddress", Values.Ip, "the address")
            .Positional("netmask", Values.Ip, "the subnet mask")
            .Option("type", NsIp.Types.Parser, "SNIP (default), VIP, MIP or NSIP")
            .Keeps(IpKept)
            .Applies(AddIp);

        r.Mutation("set", "ns ip", "Changes an owned address's settings")
            .Positional("IPAddress", Values.Ip, "the address")
            .Option("netmask", Values.Ip, "the subnet mask")
            .Keeps(IpKept)
            .Applies((b, c) =>
            {
                var i = RequireIp(b, c);
                var mask = c.MaybeRef<IPAddress>("netmask") ?? i.Netmask;

                // The same check as add ns ip: a mask set here is saved on the add line, which must read back.
                CheckMask(c, i.Address, mask);
                b.Ips[b.Ips.IndexOf(i)] = i with { Netmask = mask, Kept = KeptOptions.Merge(i.Kept, c.Kept) };
            });

        r.Mutation("rm", "ns ip", "Removes an owned address")
            .Positional("IPAddress", Values.Ip, "the address")
            .Applies((b, c) => b.Ips.Remove(RequireIp(b, c)));

        r.Query("show", "ns ip", "Lists owned addresses")
            .Positional("IPAddress", Values.Ip, "an address", required: false)
            .Runs(NsQueries.Ips);

        r.Mutation("set", "ns param", "Changes global settings")
            .Option("cipHeader", Values.Text, "header for -cip ENABLED when a service names none (default client-ip)")
            .Keeps(ParamKept)
            .Applies((b, c) => b.Param = b.Param with
            {
                ClientIpHeader = c.MaybeRef<string>("cipHeader") ?? b.Param.ClientIpHeader,
                Kept = KeptOptions.Merge(b.Param.Kept, c.Kept),
            });

        r.Mutation("unset", "ns param", "Resets global settings to their defaults")
            .Option("cipHeader", Values.Flag, "reset to client-ip")
            .Keeps(ParamKept)
            .Applies((b, c) => b.Param = b.Param with
            {
                ClientIpHeader = c.Has("cipHeader") ? null : b.Param.ClientIpHeader,
                Kept = KeptOptions.Remove(b.Param.Kept, c.Kept),
            });

        r.Query("show", "ns param", "Shows global settings")
            .Runs(NsQueries.Param);

        r.Mutation("enable", "ns mode", "Turns modes on (USIP: servers see the client's address)")
            .Rest("mode", Modes, "mode words")
            .Applies((b, c) => SetModes(b, c, true));

        r.Mutation("disable", "ns mode", "Turns modes off")
            .Rest("mode", Modes, "mode words")
            .Applies((b, c) => SetModes(b, c, false));

        r.Query("show", "ns mode", "Shows which modes are on")
            .Runs(NsQueries.Modes);
    }

    private static void AddIp(ConfigBuilder b, ParsedCommand c)
    {
        var ip = c.Get<IPAddress>("IPAddress");
        if (b.Ips.Any(i => i.Address.Equals(ip)))
        {
            throw c.Error("IPAddress", $"{ip} is already configured");
        }

        var mask = c.Get<IPAddress>("netmask");
        CheckMask(c, ip, mask);
        b.Ips.Add(new NsIp(ip, mask, c.Get("type", NsIpType.Snip), c.Kept));
    }

    private static void CheckMask(ParsedCommand c, IPAddress ip, IPAddress mask)
    {
        if (mask.AddressFamily != ip.AddressFamily || !IsContiguous(mask))
        {
            throw c.Error("netmask", "expected a contiguous subnet mask of the address's family, like 255.255.255.0");
        }
    }

    private static bool IsContiguous(IPAddress mask)
    {
        var bytes = mask.GetAddressBytes();
        var seenZero = false;
        foreach (var by in bytes)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                var one = (by >> bit & 1) == 1;
                if (one && seenZero)
                {
                    return false;
                }

                seenZero |= !one;
            }
        }

        return true;
    }

    private static NsIp RequireIp(ConfigBuilder b, ParsedCommand c)
    {
        var ip = c.Get<IPAddress>("IPAddress");
        return b.Ips.FirstOrDefault(i => i.Address.Equals(ip)) ?? throw c.Error("IPAddress", $"{ip} is not configured");
    }

    private static void SetModes(ConfigBuilder b, ParsedCommand c, bool on)
    {
        foreach (var mode in c.Get<List<string>>("mode"))
        {
            if (on)
            {
                b.Modes.Add(mode);
            }
            else
            {
                b.Modes.Remove(mode);
            }
        }
    }
}
