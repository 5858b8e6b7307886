using System.Net;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>add|set|unset|rm|bind|unbind|enable|disable|show|stat lb vserver</c>.</summary>
internal sealed class LbVserverCommands(Policies.PolicyBinds binds) : ICommandModule
{
    /// <summary>NetScaler vserver options Portico keeps without acting on them.</summary>
    private static readonly string[] Kept =
    [
        "persistMask", "v6persistmasklen", "hashLength", "netmask", "v6netmasklen", "rule", "listenPolicy",
        "listenPriority", "resRule", "persistenceBackup", "backupPersistenceTimeout", "tosId", "dataLength",
        "dataOffset", "sessionless", "trofsPersistence", "connfailover", "redirectURL", "cacheable", "soPersistence",
        "soPersistenceTimeOut", "healthThreshold", "soBackupAction", "redirectPortRewrite", "downStateFlush",
        "insertVserverIPPort", "vipHeader", "AuthenticationHost", "Authentication", "authn401",
        "authnVsName", "push", "pushVserver", "pushLabel", "pushMultiClients", "tcpProfileName",
        "dbProfileName", "icmpVsrResponse", "RHIstate", "newServiceRequest", "newServiceRequestUnit",
        "newServiceRequestIncrementInterval", "minAutoscaleMembers", "maxAutoscaleMembers", "persistAVPno",
        "skippersistency", "td", "authnProfile", "macmodeRetainvlan", "dbsLb", "dns64", "bypassAAAA",
        "RecursionAvailable", "processLocal", "dnsProfileName", "lbprofilename", "retainConnectionsOnCluster",
        "adfsProxyProfile", "quicBridgeProfilename", "probeProtocol", "probeSuccessResponseCode", "probePort",
        "toggleorder", "orderthreshold", "range", "ipPattern", "ipMask", "appflowLog", "cookieName",
        "mysqlProtocolVersion", "mysqlServerVersion", "mysqlCharacterSet", "mysqlServerCapabilities", "mssqlServerVersion",
        "l2Conn", "oracleServerVersion", "tcpProbePort", "cookieDomain", "ipset", "httpsRedirectPortRewrite",
        "pq", "sc", "rtspNat", "apiProfile", "weight",
    ];

    private static readonly ValueParser VipAddress = words =>
    {
        Values.ExpectCount(words, 1, 1);
        return words[0].Text == "*" ? IPAddress.Any : Values.Ip(words);
    };

    private static readonly ValueParser SpilloverMethod = words =>
    {
        Values.ExpectCount(words, 1, 1);
        var w = words[0].Text.ToUpperInvariant();
        return w switch
        {
            "CONNECTION" or "NONE" => w,
            "DYNAMICCONNECTION" or "BANDWIDTH" or "HEALTH" => throw new UnsupportedValueException(0, $"spillover method {w} is not supported by Portico"),
            _ => throw new ValueException(0, "expected CONNECTION or NONE"),
        };
    };

    public void Register(CommandRegistry r)
    {
        r.Sections.AddLines("lb vserver", ConfigRank.Objects + 30, LoadBalancingLines.Vservers);
        r.Sections.AddLines("lb vserver bindings", ConfigRank.Bindings, LoadBalancingLines.VserverBindings);

        Declare(r.Mutation("add", "lb vserver", "Adds a load balancing virtual server")
            .Positional("name", Values.Name, "the vserver's name")
            .Positional("serviceType", ServiceTypes.Parser, "the protocol")
            .Positional("IPAddress", VipAddress, "the VIP, or * for every address", required: false)
            .Positional("port", Values.Port, "the port, or * for any", required: false)
            .Option("state", Values.EnabledDisabled, "ENABLED or DISABLED"))
            .Applies(Add);

        Declare(r.Mutation("set", "lb vserver", "Changes a vserver's settings")
            .Positional("name", Values.Name, "the vserver's name")
            .Option("IPAddress", VipAddress, "the VIP")
            .Option("port", Values.Port, "the port"))
            .Applies(Set);

        r.Mutation("unset", "lb vserver", "Resets a vserver's settings to their defaults")
            .Positional("name", Values.Name, "the vserver's name")
            .Option("lbMethod", Values.Flag, "reset to LEASTCONNECTION")
            .Option("backupLBMethod", Values.Flag, "remove")
            .Option("persistenceType", Values.Flag, "reset to NONE")
            .Option("timeout", Values.Flag, "reset to 2 minutes")
            .Option("cltTimeout", Values.Flag, "reset to the default")
            .Option("backupVServer", Values.Flag, "remove the backup vserver")
            .Option("soMethod", Values.Flag, "remove spillover")
            .Option("soThreshold", Values.Flag, "remove spillover")
            .Option("disablePrimaryOnDown", Values.Flag, "reset to DISABLED")
            .Option("comment", Values.Flag, "remove the comment")
            .Option("redirectFromPort", Values.Flag, "stop redirecting")
            .Option("httpsRedirectUrl", Values.Flag, "stop redirecting")
            .Option("netProfile", Values.Flag, "use no net profile")
            .Option("httpProfileName", Values.Flag, "use nshttp_default_profile")
            .Option("m", Values.Flag, "reset to IP (the full proxy)")
            .Option("dsrInterface", Values.Flag, "use the interface whose subnet holds the VIP")
            .Keeps(Kept)
            .Applies(Unset);

        r.Mutation("rm", "lb vserver", "Removes a vserver; its established connections finish")
            .Positional("name", Values.Name, "the vserver's name")
            .Applies((b, c) =>
            {
                var v = Require(b, c);
                var backups = b.Vservers.Values.Where(x => x.BackupVserver == v.Name).Select(x => x.Name).ToList();
                if (backups.Count > 0)
                {
                    throw c.Error("name", $"'{v.Name}' is the backup vserver of {string.Join(", ", backups)}; unset it there first");
                }

                if (ContentSwitching.CsReferences.Of(b, v.Name) is { } user)
                {
                    throw c.Error("name", $"'{v.Name}' is the target of {user}; change or remove that first");
                }

                b.Vservers.Remove(v.Name);
            });

        r.Mutation("bind", "lb vserver", "Binds a service or service group to a vserver")
            .Positional("name", Values.Name, "the vserver's name")
            .Positional("serviceName", Values.Name, "a service or service group", required: false)
            .Option("weight", Values.Int(1, 100), "the service's weight, 1..100 (default 1)")
            .Option("policyName", Values.Name, "a responder or rewrite policy to bind instead of a service")
            .Option("priority", Values.Int(1, 2_147_483_647), "the policy's priority: lower is evaluated first")
            .Option("gotoPriorityExpression", Policies.Commands.PolicyValues.Goto, "END (default), NEXT, or a priority to continue at")
            .Option("type", Policies.Commands.PolicyValues.Words("REQUEST", "RESPONSE"), "REQUEST (default) or RESPONSE (rewrite policies)")
            .Keeps("invoke", "labelType", "labelName", "analyticsProfile", "order")
            .Applies(Bind);

        r.Mutation("unbind", "lb vserver", "Unbinds a service or service group from a vserver")
            .Positional("name", Values.Name, "the vserver's name")
            .Positional("serviceName", Values.Name, "a bound service or service group", required: false)
            .Option("policyName", Values.Name, "a bound policy")
            .Option("type", Policies.Commands.PolicyValues.Words("REQUEST", "RESPONSE"), "REQUEST or RESPONSE")
            .Keeps("priority")
            .Applies((b, c) =>
            {
                var v = Require(b, c);
                if (c.MaybeRef<string>("policyName") is { } policy)
                {
                    Policies.PolicyBinds.Unbind(b, c, Policies.BindPoint.LbVserver(v.Name), policy, c.MaybeRef<string>("type"));
                    return;
                }

                if (!c.Has("serviceName"))
                {
                    throw c.Error("expects a service or -policyName: unbind lb vserver <vserver> <service>");
                }

                var target = c.Get<string>("serviceName");
                var binding = v.Bindings.FirstOrDefault(x => x.Target == target)
                    ?? throw c.Error("serviceName", $"'{target}' is not bound to '{v.Name}'");
                b.Vservers[v.Name] = v with { Bindings = v.Bindings.Remove(binding) };
            });

        r.Mutation("enable", "lb vserver", "Starts a vserver listening; releases a primary held on its backup by -disablePrimaryOnDown")
            .Positional("name", Values.Name, "the vserver's name")
            .Applies((b, c) => SetState(b, c, true));

        r.Mutation("disable", "lb vserver", "Stops a vserver listening; established connections finish")
            .Positional("name", Values.Name, "the vserver's name")
            .Applies((b, c) => SetState(b, c, false));

        r.Query("show", "lb vserver", "Lists vservers with their state and bound services")
            .Positional("name", Values.Name, "a vserver's name", required: false)
            .Runs<VserverQueries>(q => q.Show);

        r.Query("stat", "lb vserver", "Shows vservers' live counters")
            .Positional("name", Values.Name, "a vserver's name", required: false)
            .Runs<StatQueries>(q => q.Vservers);
    }

    private static CommandSpecBuilder Declare(CommandSpecBuilder b) => b
        .Option("lbMethod", LbMethods.Parser, "how a service is chosen (default LEASTCONNECTION)")
        .Option("backupLBMethod", LbMethods.Parser, "used when the primary method cannot decide")
        .Option("persistenceType", PersistenceTypes.Parser, "NONE, SOURCEIP or COOKIEINSERT")
        .Option("timeout", Values.Int(0, 1440), "persistence timeout in minutes (default 2)")
        .Option("cltTimeout", Values.Int(0, 31_536_000), "seconds a client connection may stay idle")
        .Option("backupVServer", Values.Name, "the vserver that takes over when no service is available")
        .Option("soMethod", SpilloverMethod, "CONNECTION: spill over to the backup vserver past -soThreshold")
        .Option("soThreshold", Values.Int(1, 4_294_967_287), "connections beyond which new ones go to the backup vserver")
        .Option("disablePrimaryOnDown", Values.EnabledDisabled, "ENABLED: after a failover, stay on the backup vserver until 'enable lb vserver'")
        .Option("redirectFromPort", Values.Port, "a plain HTTP port on the VIP that redirects to this SSL vserver")
        .Option("httpsRedirectUrl", Values.Text, "where -redirectFromPort sends clients, e.g. https://www.example.com")
        .Option("comment", Values.Text, "free text")
        .Option("netProfile", Values.Name, "a net profile; with -proxyProtocol ENABLED clients must send a PROXY header")
        .Option("httpProfileName", Values.Name, "an HTTP profile (add ns httpProfile): request limits, strictness, timeouts; default nshttp_default_profile")
        .Option("m", RedirectionModes.Parser, "IP (full proxy, default) or MAC (direct server return: servers answer clients directly)")
        .Option("dsrInterface", Dsr.DsrVserverRules.InterfaceName, "-m MAC: the interface to receive and send frames on (default: the one whose subnet holds the VIP)")
        .Keeps(Kept);

    private static void Add(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.Vservers.ContainsKey(name))
        {
            throw c.Error("name", $"lb vserver '{name}' already exists");
        }

        if (c.Has("IPAddress") != c.Has("port") && !c.Get<IPAddress>("IPAddress", IPAddress.Any).Equals(IPAddress.Any))
        {
            throw c.Error("IPAddress", "expects a port after the address: add lb vserver <name> <type> <IP> <port>");
        }

        var v = new LbVserver(name, c.Get<ServiceType>("serviceType"), c.MaybeRef<IPAddress>("IPAddress"), c.Get("port", 0),
            LbMethod.LeastConnection, null, PersistenceType.None, 2, null, null, null, c.Get("state", true), null, [], null, []);
        b.Vservers.Add(name, Apply(b, v, c));
    }

    private static void Set(ConfigBuilder b, ParsedCommand c)
    {
        var v = Require(b, c);
        v = v with
        {
            Address = c.MaybeRef<IPAddress>("IPAddress") ?? v.Address,
            Port = c.Get("port", v.Port),
        };
        b.Vservers[v.Name] = Apply(b, v, c);
    }

    private static LbVserver Apply(ConfigBuilder b, LbVserver v, ParsedCommand c)
    {
        if (c.Get<string?>("soMethod", null) == "NONE")
        {
            v = v with { SpilloverThreshold = null };
        }
        else if (c.Has("soMethod") && !c.Has("soThreshold") && v.SpilloverThreshold is null)
        {
            throw c.Error("soMethod", "-soMethod CONNECTION needs -soThreshold <connections>");
        }

        if (c.MaybeRef<string>("backupVServer") is { } backup)
        {
            if (backup == v.Name)
            {
                throw c.Error("backupVServer", "a vserver cannot be its own backup");
            }

            b.Defer(c, "backupVServer", x => BackupProblem(x, v.Name, backup));
        }

        if (c.MaybeRef<string>("netProfile") is { } profile)
        {
            ClientIp.Commands.NetProfileCommands.DeferReference(b, c, profile, $"lb vserver '{v.Name}'", v.Type.IsUdp());
        }

        v = v with
        {
            Method = c.Get("lbMethod", v.Method),
            BackupMethod = c.Maybe<LbMethod>("backupLBMethod") ?? v.BackupMethod,
            Persistence = c.Get("persistenceType", v.Persistence),
            PersistenceTimeoutMinutes = c.Get("timeout", v.PersistenceTimeoutMinutes),
            ClientTimeout = c.Maybe<long>("cltTimeout") ?? v.ClientTimeout,
            BackupVserver = c.MaybeRef<string>("backupVServer") ?? v.BackupVserver,
            SpilloverThreshold = c.Maybe<long>("soThreshold") ?? v.SpilloverThreshold,
            DisablePrimaryOnDown = c.Get("disablePrimaryOnDown", v.DisablePrimaryOnDown),
            Comment = c.MaybeRef<string>("comment") ?? v.Comment,
            Redirect = c.Has("redirectFromPort") || c.Has("httpsRedirectUrl")
                ? new VserverRedirect(c.Maybe<int>("redirectFromPort") ?? v.Redirect?.FromPort, c.MaybeRef<string>("httpsRedirectUrl") ?? v.Redirect?.Url)
                : v.Redirect,
            Kept = KeptOptions.Merge(v.Kept, c.Kept),
            NetProfile = c.MaybeRef<string>("netProfile") ?? v.NetProfile,
            HttpProfileName = c.MaybeRef<string>("httpProfileName") ?? v.HttpProfileName,
            Mode = c.Get("m", v.Mode),
            DsrInterface = c.MaybeRef<string>("dsrInterface") ?? v.DsrInterface,
        };
        Http.Commands.HttpProfileReferences.Check(b, c, v);
        v = Dsr.DsrVserverRules.Check(b, v, c);
        Persistence.Commands.PersistenceVserverRules.Check(b, v, c);
        return v;
    }

    private static string? BackupProblem(ConfigBuilder b, string vserver, string backup)
    {
        if (!b.Vservers.TryGetValue(backup, out var next))
        {
            return $"no lb vserver named '{backup}'";
        }

        // A chain of backups must end: NetScaler refuses a loop, so does Portico.
        var seen = new HashSet<string>(StringComparer.Ordinal) { vserver };
        for (var v = next; v is not null; v = v.BackupVserver is { } n && b.Vservers.TryGetValue(n, out var w) ? w : null)
        {
            if (!seen.Add(v.Name))
            {
                return $"backup vservers form a loop through '{v.Name}'";
            }
        }

        return null;
    }

    private static void Unset(ConfigBuilder b, ParsedCommand c)
    {
        var v = Require(b, c);
        var noSpill = c.Has("soMethod") || c.Has("soThreshold");
        b.Vservers[v.Name] = v with
        {
            Method = c.Has("lbMethod") ? LbMethod.LeastConnection : v.Method,
            BackupMethod = c.Has("backupLBMethod") ? null : v.BackupMethod,
            Persistence = c.Has("persistenceType") ? PersistenceType.None : v.Persistence,
            PersistenceTimeoutMinutes = c.Has("timeout") ? 2 : v.PersistenceTimeoutMinutes,
            ClientTimeout = c.Has("cltTimeout") ? null : v.ClientTimeout,
            BackupVserver = c.Has("backupVServer") ? null : v.BackupVserver,
            SpilloverThreshold = noSpill ? null : v.SpilloverThreshold,
            DisablePrimaryOnDown = !c.Has("disablePrimaryOnDown") && v.DisablePrimaryOnDown,
            Comment = c.Has("comment") ? null : v.Comment,
            Redirect = c.Has("redirectFromPort") || c.Has("httpsRedirectUrl") ? null : v.Redirect,
            Kept = KeptOptions.Remove(v.Kept, c.Kept),
            NetProfile = c.Has("netProfile") ? null : v.NetProfile,
            HttpProfileName = c.Has("httpProfileName") ? null : v.HttpProfileName,
            Mode = c.Has("m") ? RedirectionMode.Ip : v.Mode,
            DsrInterface = c.Has("dsrInterface") ? null : v.DsrInterface,
        };
    }

    private void Bind(ConfigBuilder b, ParsedCommand c)
    {
        var v = Require(b, c);
        if (c.MaybeRef<string>("policyName") is { } policy)
        {
            if (c.Has("serviceName"))
            {
                throw c.Error("policyName", "bind either a service or a policy in one line");
            }

            var priority = c.Maybe<long>("priority") ?? throw c.Error("priority", "a policy bound to an lb vserver needs -priority N");
            binds.Bind(b, c, new Policies.PolicyBinding(Policies.BindPoint.LbVserver(v.Name), policy, priority, c.MaybeRef<string>("gotoPriorityExpression"),
                c.MaybeRef<string>("type"), null) { Kept = c.Kept });
            return;
        }

        if (!c.Has("serviceName"))
        {
            throw c.Error("expects a service: bind lb vserver <vserver> <service|serviceGroup>");
        }

        foreach (var option in new[] { "priority", "gotoPriorityExpression", "type" })
        {
            if (c.Has(option))
            {
                throw c.Error(option, $"-{option} belongs to a policy binding (-policyName); a service is bound with -weight");
            }
        }

        var target = c.Get<string>("serviceName");
        if (v.Bindings.Any(x => x.Target == target))
        {
            throw c.Error("serviceName", $"'{target}' is already bound to '{v.Name}'");
        }

        b.Vservers[v.Name] = v with { Bindings = v.Bindings.Add(new VserverBinding(target, c.Get("weight", 1L)) { Kept = c.Kept }) };
        b.Defer(c, "serviceName", x => BindingProblem(x, v.Name, target));
        if (v.Mode == RedirectionMode.Mac)
        {
            b.Defer(c, "serviceName", x => Dsr.DsrVserverRules.BindingProblem(x, v.Name, target));
        }
    }

    private static string? BindingProblem(ConfigBuilder b, string vserverName, string target)
    {
        if (!b.Vservers.TryGetValue(vserverName, out var v) || !v.Bindings.Any(x => x.Target == target))
        {
            return null;
        }

        ServiceType type;
        if (b.Services.TryGetValue(target, out var s))
        {
            type = s.Type;
        }
        else if (b.ServiceGroups.TryGetValue(target, out var g))
        {
            type = g.Type;
        }
        else
        {
            return $"no service or service group named '{target}'";
        }

        return Compatible(v.Type, type)
            ? null
            : $"'{target}' is {ServiceTypes.Words[type]}; a {ServiceTypes.Words[v.Type]} vserver balances {Family(v.Type)} services";
    }

    /// <summary>Which service types a vserver of a given type can balance over.</summary>
    internal static bool Compatible(ServiceType vserver, ServiceType service) =>
        vserver.IsHttp() ? service.IsHttp()
        : vserver.IsUdp() ? service.IsUdp() || service == ServiceType.Any
        : vserver == ServiceType.Any || service.IsL4Tcp() || service == ServiceType.SslTcp;

    private static string Family(ServiceType vserver) =>
        vserver.IsHttp() ? "HTTP or SSL" : vserver.IsUdp() ? "UDP, DNS or ANY" : vserver == ServiceType.Any ? "any" : "TCP, ANY, SSL_BRIDGE, SSL_TCP or DNS_TCP";

    /// <summary>Drops every vserver binding to a removed service or group.</summary>
    internal static void RemoveBindingsTo(ConfigBuilder b, string target)
    {
        foreach (var v in b.Vservers.Values.Where(v => v.Bindings.Any(x => x.Target == target)).ToList())
        {
            b.Vservers[v.Name] = v with { Bindings = v.Bindings.RemoveAll(x => x.Target == target) };
        }
    }

    private static void SetState(ConfigBuilder b, ParsedCommand c, bool enabled)
    {
        var v = Require(b, c);

        // Enabling also releases a primary held on its backup by -disablePrimaryOnDown (see PrimaryHold).
        b.Vservers[v.Name] = enabled ? v with { Enabled = true, EnabledAtGeneration = b.Generation + 1 } : v with { Enabled = false };
    }

    private static LbVserver Require(ConfigBuilder b, ParsedCommand c) =>
        b.Vservers.TryGetValue(c.Get<string>("name"), out var v)
            ? v
            : throw c.Error("name", $"no lb vserver named '{c.Get<string>("name")}'");
}
