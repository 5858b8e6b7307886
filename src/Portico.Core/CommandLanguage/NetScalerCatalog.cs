namespace Portico.CommandLanguage;

/// <summary>
/// What NetScaler's CLI knows beyond what Portico implements, so that a real ns.conf line Portico does
/// not support is reported as unsupported (and kept), while a typo in a supported command is an error.
/// </summary>
internal static class NetScalerCatalog
{
    /// <summary>Verbs of the NetScaler CLI.</summary>
    public static readonly IReadOnlySet<string> Verbs = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "add", "set", "unset", "rm", "bind", "unbind", "enable", "disable", "show", "stat", "save", "apply",
        "clear", "flush", "renumber", "start", "stop", "link", "unlink", "update", "rename", "reset", "sync",
        "kill", "shutdown", "reboot", "import", "export", "create", "send", "force", "install", "check",
        "convert", "expire", "join", "diff", "restart", "rotate", "change", "query", "ping", "traceroute",
    };

    /// <summary>
    /// First words of NetScaler objects in groups Portico does not implement at all: any object under
    /// them is a valid-but-unsupported line.
    /// </summary>
    private static readonly HashSet<string> OtherGroups = new(StringComparer.OrdinalIgnoreCase)
    {
        "aaa", "appflow", "appfw", "appqoe", "audit", "authentication", "authorization", "autoscale", "bot",
        "ca", "cache", "cloud", "cloudtunnel", "cluster", "cmp", "contentinspection", "cr", "cs", "db",
        "dns", "dos", "feo", "filter", "gslb", "ha", "ica", "ipsec", "lldp", "lsn", "mediaclassification",
        "ntp", "pcp", "policy", "pq", "protocol", "qos", "rdp", "reputation", "responder", "rewrite",
        "router", "sc", "smpp", "snmp", "spillover", "stream", "subscriber", "system", "tm", "transform",
        "tunnel", "ulfd", "urlfiltering", "user", "utility", "videooptimization", "vpn", "wi", "ptp",
        "ip6TunnelParam", "nd6RAvariables", "lacp", "rsskeytype", "interface", "channel", "vlan", "vxlan",
        "bridgegroup", "route", "route6", "arp", "nd6", "netbridge", "inat", "rnat", "rnat6", "fis",
        "l2param", "l3param", "linkset", "ipset", "mapbmr", "mapdomain", "ipTunnel", "ip6Tunnel",
        "iptunnelparam", "fips", "hafiles", "locationfile", "location", "locationparameter", "mptcp",
        "adm", "analytics", "api", "apispec", "callhome", "gslbparameter", "vrid", "vrid6", "vridparam",
        "forwardingSession", "nstrace", "nstimer", "nsconsolemsg", "aptlicense", "videooptimization",
        "lsnpool", "reporting", "server6", "smartcontrol", "bfd", "rise", "ipv6", "onlinkipv6prefix",
        "ip6", "nat64", "vpath", "tunneltrafficpolicy",
    };

    /// <summary>
    /// Objects of the groups Portico partly implements (<c>lb</c>, <c>ns</c>, <c>ssl</c>, <c>service</c>),
    /// listed whole so that a misspelt supported object is not mistaken for an unsupported one.
    /// </summary>
    private static readonly HashSet<string> KnownObjects = new(StringComparer.OrdinalIgnoreCase)
    {
        "lb group", "lb route", "lb route6", "lb parameter", "lb persistentSessions", "lb wlm", "lb metricTable",
        "lb profile", "lb action", "lb policy", "lb policylabel", "lb global", "lb sipParameters", "lb monbindings",
        "lb monitor", "lb monitor metric", "lb vserver", "lb vserver serviceGroup", "lb monitor sslcertkey",
        "ns config", "ns hostName", "ns feature", "ns mode", "ns param", "ns ip", "ns ip6", "ns weblogparam",
        "ns encryptionParams", "ns rpcNode", "ns simpleacl", "ns simpleacl6", "ns acl", "ns acl6", "ns acls",
        "ns acls6", "ns netProfile", "ns tcpProfile", "ns httpProfile", "ns tcpParam", "ns httpParam",
        "ns diameter", "ns timeout", "ns limitIdentifier", "ns limitSelector", "ns variable", "ns assignment",
        "ns partition", "ns trafficDomain", "ns pbr", "ns pbr6", "ns pbrs", "ns rnat", "ns spParams",
        "ns timezone", "ns ntp", "ns dhcpParams", "ns httpprofile", "ns capacity", "ns license", "ns stats",
        "ns runningConfig", "ns savedConfig", "ns events", "ns connectiontable", "ns servicepath",
        "ns servicefunction", "ns appflowCollector", "ns xmlnamespace", "ns extension", "ns lacp",
        "ns hardware", "ns version", "ns rateControl", "ns vpxparam", "ns dns", "ns consoleloginprompt",
        "ns sourceroutecachetable", "ns aptlicense", "ns centralmanagementserver", "ns ip6 bindings",
        "ns callhome", "ns cqaparam", "ns lacp", "ns jobs", "ns delta", "ns surgeQ", "ns trace",
        "ns icmpparam", "ns trafficdomain", "ns partitionmac", "ns tcpbufParam", "ns mgmtParam", "ns lsnparam",
        "ns hostname", "ns limitSessions", "ns httpHeader", "ns dhcpIp", "ns clientAuthConfig",
        "ssl certKey", "ssl vserver", "ssl service", "ssl serviceGroup", "ssl cipher", "ssl profile",
        "ssl parameter", "ssl dtlsProfile", "ssl policy", "ssl action", "ssl policylabel", "ssl global",
        "ssl certLink", "ssl crl", "ssl ocspResponder", "ssl fips", "ssl certReq", "ssl cert", "ssl rsakey",
        "ssl dhparam", "ssl ecdsakey", "ssl pkcs12", "ssl pkcs8", "ssl certFile", "ssl keyFile", "ssl crlFile",
        "ssl hsmKey", "ssl logProfile", "ssl certBundle", "ssl cacertGroup", "ssl ecccurve",
        "service", "serviceGroup", "server", "servicegroup member", "service bindings",
    };

    /// <summary>
    /// Objects of one word, with no group before them (<c>add route</c>, <c>set interface</c>): the words
    /// after them are arguments, not part of the object's name.
    /// </summary>
    private static readonly HashSet<string> SingleWordObjects = new(StringComparer.OrdinalIgnoreCase)
    {
        "route", "route6", "arp", "nd6", "interface", "channel", "vlan", "vxlan", "bridgegroup", "netbridge", "inat",
        "rnat", "rnat6", "fis", "l2param", "l3param", "linkset", "ipset", "mapbmr", "mapdomain", "ipTunnel", "ip6Tunnel",
        "iptunnelparam", "ip6TunnelParam", "nd6RAvariables", "lacp", "rsskeytype", "ptp", "fips", "hafiles", "locationfile",
        "location", "locationparameter", "vrid", "vrid6", "vridparam", "forwardingSession", "nstrace", "nstimer",
        "nsconsolemsg", "aptlicense", "reporting", "server6", "onlinkipv6prefix", "ip6", "nat64", "vpath",
        "tunneltrafficpolicy", "ipv6", "callhome", "gslbparameter", "mptcp", "ulfd", "lsnpool", "smartcontrol", "bfd", "rise",
        "l4param", "bridgetable", "arpparam", "interfacepair", "nat64param", "ipsecalgprofile", "rnatparam", "ip6tunnel",
    };

    /// <summary>True when the words after a verb name a NetScaler object Portico does not implement.</summary>
    public static bool IsKnownUnsupported(IReadOnlyList<string> objectWords) => UnsupportedObject(objectWords) is not null;

    /// <summary>
    /// The NetScaler object the words after a verb name, when Portico does not implement it: <c>route</c>
    /// for <c>route 0.0.0.0 0.0.0.0 10.0.0.1</c>, <c>cs vserver</c> for <c>cs vserver v1 HTTP</c>; null otherwise.
    /// </summary>
    public static string? UnsupportedObject(IReadOnlyList<string> objectWords)
    {
        if (objectWords.Count == 0)
        {
            return null;
        }

        for (var n = Math.Min(3, objectWords.Count); n >= 1; n--)
        {
            var words = string.Join(' ', objectWords.Take(n));
            if (KnownObjects.TryGetValue(words, out var known))
            {
                return known;
            }
        }

        if (SingleWordObjects.Contains(objectWords[0]))
        {
            return objectWords[0];
        }

        if (OtherGroups.Contains(objectWords[0]))
        {
            // A group and the object in it: "cs vserver", "snmp alarm", "dns nsRec". The object is a
            // keyword: letters and digits only, where names and addresses hold dots, dashes or underscores.
            return objectWords.Count > 1 && objectWords[1].All(char.IsAsciiLetterOrDigit) && char.IsAsciiLetter(objectWords[1][0])
                ? $"{objectWords[0]} {objectWords[1]}"
                : objectWords[0];
        }

        return null;
    }
}
