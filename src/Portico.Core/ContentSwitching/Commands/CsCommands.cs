using System.Net;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.LoadBalancing;
using Portico.Policies;
using Portico.Policies.Commands;

namespace Portico.ContentSwitching.Commands;

/// <summary>
/// <c>add|set|unset|rm|bind|unbind|enable|disable|show|stat cs vserver</c>, <c>add|rm|show cs action</c>,
/// <c>add|set|rm|show cs policy</c>: requests of HTTP and SSL cs vservers go to the lb vserver the first matching
/// policy names, else to the default lb vserver (<c>bind cs vserver X -lbvserver LB</c>).
/// </summary>
internal sealed class CsCommands(ExpressionContexts contexts, PolicyBinds binds) : ICommandModule
{
    /// <summary>NetScaler cs vserver options Portico keeps without acting on them.</summary>
    private static readonly string[] Kept =
    [
        "timeout", "precedence", "caseSensitive", "td", "appflowLog", "insertVserverIPPort", "vipHeader",
        "rtspNat", "authn401", "authnVsName", "push", "pushVserver", "pushLabel", "pushMultiClients", "tcpProfileName",
        "dbProfileName", "oracleServerVersion", "mssqlServerVersion", "mysqlProtocolVersion", "mysqlServerVersion",
        "mysqlCharacterSet", "mysqlServerCapabilities", "icmpVsrResponse", "RHIstate", "authenticationHost", "Authentication",
        "listenPolicy", "listenPriority", "redirectPortRewrite", "downStateFlush", "disablePrimaryOnDown", "cookieDomain",
        "cookieTimeout", "l2Conn", "netProfile", "dnsProfileName", "dnsRecordType", "persistenceId", "persistMask",
        "v6persistmasklen", "backupPersistenceTimeout", "targetType", "redirectURL", "backupVServer", "range", "ipPattern",
        "ipMask", "dtls", "httpProfileName", "probeProtocol", "probeSuccessResponseCode", "probePort", "apiProfile", "quicBridgeProfilename",
    ];

    /// <summary>Persistence belongs to the target lb vservers in Portico; NONE is what every cs vserver does.</summary>
    private static readonly ValueParser NoPersistence = words =>
    {
        Values.ExpectCount(words, 1, 1);
        return words[0].Text.Equals("NONE", StringComparison.OrdinalIgnoreCase)
            ? "NONE"
            : throw new UnsupportedValueException(0, $"persistence on a cs vserver ({words[0].Text}) is not supported by Portico: set it on the target lb vservers");
    };

    private static readonly ValueParser BindType = Policies.Commands.PolicyValues.Words("REQUEST", "RESPONSE");

    public void Register(CommandRegistry r)
    {
        r.Sections.Add(CsSections.Vservers, ConfigRank.Objects + 40, CsLines.Vservers);
        r.Sections.Add(CsSections.Actions, ConfigRank.Objects + 41, CsLines.Actions);
        r.Sections.Add(CsSections.Policies, ConfigRank.Objects + 42, CsLines.Policies);
        r.Sections.AddLines("cs vserver defaults", ConfigRank.Bindings + 30, CsLines.Defaults);

        Declare(r.Mutation("add", "cs vserver", "Adds a content switching vserver: each request goes to the lb vserver its policies choose")
            .Positional("name", Values.Name, "the vserver's name")
            .Positional("serviceType", ServiceTypes.Parser, "HTTP or SSL")
            .Positional("IPAddress", Values.Ip, "the VIP")
            .Positional("port", Values.Port, "the port")
            .Option("state", Values.EnabledDisabled, "ENABLED or DISABLED"))
            .Applies(AddVserver);

        Declare(r.Mutation("set", "cs vserver", "Changes a cs vserver's settings")
            .Positional("name", Values.Name, "the vserver's name")
            .Option("IPAddress", Values.Ip, "the VIP")
            .Option("port", Values.Port, "the port"))
            .Applies((b, c) => b.CsVservers[Require(b, c).Name] = Apply(b, Require(b, c), c));

        r.Mutation("unset", "cs vserver", "Resets cs vserver settings to their defaults")
            .Positional("name", Values.Name, "the vserver's name")
            .Option("cltTimeout", Values.Flag, "reset to the default")
            .Option("comment", Values.Flag, "remove the comment")
            .Option("stateupdate", Values.Flag, "reset to DISABLED")
                .Keeps(Kept)
            .Applies((b, c) =>
            {
                var v = Require(b, c);
                b.CsVservers[v.Name] = v with
                {
                    ClientTimeout = c.Has("cltTimeout") ? null : v.ClientTimeout,
                    Comment = c.Has("comment") ? null : v.Comment,
                    StateUpdate = !c.Has("stateupdate") && v.StateUpdate,
                    Kept = KeptOptions.Remove(v.Kept, c.Kept),
                };
            });

        r.Mutation("rm", "cs vserver", "Removes a cs vserver; its established connections finish")
            .Positional("name", Values.Name, "the vserver's name")
            .Applies((b, c) =>
            {
                var v = Require(b, c);
                b.CsVservers.Remove(v.Name);
                b.PolicyBindings.RemoveAll(x => x.Point == BindPoint.CsVserver(v.Name));
            });

        r.Mutation("bind", "cs vserver", "Binds a cs policy (in priority order) or the default lb vserver to a cs vserver")
            .Positional("name", Values.Name, "the vserver's name")
            .Option("policyName", Values.Name, "a cs policy")
            .Option("priority", Values.Int(1, 2_147_483_647), "the policy's priority: lower is evaluated first")
            .Option("targetLBVserver", Values.Name, "the lb vserver the policy sends to (instead of its action's)")
            .Option("gotoPriorityExpression", Policies.Commands.PolicyValues.Goto, "END (default), NEXT, or a priority to continue at after a match")
            .Option("lbvserver", Values.Name, "the default lb vserver: serves requests no policy matched")
            .Option("type", BindType, "REQUEST (default) or RESPONSE: for responder and rewrite policies")
            .Keeps("invoke", "labelType", "labelName")
            .Applies(Bind);

        r.Mutation("unbind", "cs vserver", "Unbinds a cs policy or the default lb vserver from a cs vserver")
            .Positional("name", Values.Name, "the vserver's name")
            .Option("policyName", Values.Name, "a bound cs policy")
            .Option("lbvserver", Values.Name, "the default lb vserver")
            .Option("type", BindType, "REQUEST or RESPONSE")
            .Keeps("priority")
            .Applies(Unbind);

        r.Mutation("enable", "cs vserver", "Starts a cs vserver listening")
            .Positional("name", Values.Name, "the vserver's name")
            .Applies((b, c) => b.CsVservers[Require(b, c).Name] = Require(b, c) with { Enabled = true });

        r.Mutation("disable", "cs vserver", "Stops a cs vserver listening; established connections finish")
            .Positional("name", Values.Name, "the vserver's name")
            .Applies((b, c) => b.CsVservers[Require(b, c).Name] = Require(b, c) with { Enabled = false });

        r.Query("show", "cs vserver", "Lists cs vservers with their state, default lb vserver and bound policies")
            .Positional("name", Values.Name, "a cs vserver's name", required: false)
            .Runs<CsQueries>(q => q.Show);

        r.Query("stat", "cs vserver", "Shows cs vservers' live counters and the hits of each bound policy")
            .Positional("name", Values.Name, "a cs vserver's name", required: false)
            .Runs<CsQueries>(q => q.Stat);

        r.Mutation("add", "cs action", "Adds a cs action: the lb vserver a matching policy sends requests to")
            .Positional("name", Values.Name, "the action's name")
            .Option("targetLBVserver", Values.Name, "an lb vserver (HTTP or SSL)")
            .Option("comment", Values.Text, "free text")
            .Keeps("targetVserver", "targetVserverExpr")
            .Applies(AddAction);

        r.Mutation("rm", "cs action", "Removes a cs action that no policy uses")
            .Positional("name", Values.Name, "the action's name")
            .Applies(RemoveAction);

        r.Query("show", "cs action", "Lists cs actions with their target and the policies that use them")
            .Positional("name", Values.Name, "an action's name", required: false)
            .Runs(CsLists.Actions);

        r.Mutation("add", "cs policy", "Adds a cs policy: a rule (NetScaler expression) and the action taken when it matches")
            .Positional("policyName", Values.Name, "the policy's name")
            .Option("rule", Values.Text, "a boolean expression, e.g. HTTP.REQ.HOSTNAME.EQ(\"www.example.com\")")
            .Option("action", Values.Name, "a cs action (or give -targetLBVserver on the bind)")
            .Option("comment", Values.Text, "free text")
            .Keeps("logAction", "url", "domain")
            .Applies(AddPolicy);

        r.Mutation("set", "cs policy", "Changes a cs policy's rule or action; bound vservers follow at once")
            .Positional("policyName", Values.Name, "the policy's name")
            .Option("rule", Values.Text, "a boolean expression")
            .Option("action", Values.Name, "a cs action")
            .Option("comment", Values.Text, "free text")
            .Keeps("logAction")
            .Applies(SetPolicy);

        r.Mutation("rm", "cs policy", "Removes a cs policy that no vserver binds")
            .Positional("policyName", Values.Name, "the policy's name")
            .Applies(RemovePolicy);

        r.Query("stat", "cs policy", "Shows the hits of each cs policy, per cs vserver that binds it and in all")
            .Positional("policyName", Values.Name, "a policy's name", required: false)
            .Runs<CsQueries>(q => q.PolicyStats);

        r.Query("show", "cs policy", "Lists cs policies with their rule, action and the vservers that bind them")
            .Positional("policyName", Values.Name, "a policy's name", required: false)
            .Runs(CsLists.Policies);
    }

    private static CommandSpecBuilder Declare(CommandSpecBuilder b) => b
        .Option("cltTimeout", Values.Int(0, 31_536_000), "seconds a client connection may stay idle")
        .Option("comment", Values.Text, "free text")
        .Option("stateupdate", Values.EnabledDisabled, "ENABLED: the vserver is UP only while one of its target lb vservers is UP")
        .Option("persistenceType", NoPersistence, "NONE: a cs vserver persists nothing itself (its target lb vservers do)")
        .Keeps(Kept);

    private static void AddVserver(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.CsVservers.ContainsKey(name))
        {
            throw c.Error("name", $"cs vserver '{name}' already exists");
        }

        if (b.Vservers.ContainsKey(name))
        {
            // One name space for listening vservers in Portico: listener status, ACL bindings and captures name them alone.
            throw c.Error("name", $"'{name}' is an lb vserver; give the cs vserver another name");
        }

        var type = c.Get<ServiceType>("serviceType");
        if (type is not (ServiceType.Http or ServiceType.Ssl or ServiceType.Tcp))
        {
            throw new UnsupportedCommandException($"cs vservers of type {ServiceTypes.Words[type]} are not supported by Portico (HTTP, SSL and TCP are)");
        }

        var v = new CsVserver(name, type, c.Get<IPAddress>("IPAddress"), c.Get<int>("port"), null, c.Get("state", true), null, []);
        b.CsVservers.Add(name, Apply(b, v, c));
    }

    private static CsVserver Apply(ConfigBuilder b, CsVserver v, ParsedCommand c)
    {
        v = v with
        {
            Address = c.MaybeRef<IPAddress>("IPAddress") ?? v.Address,
            Port = c.Get("port", v.Port),
            ClientTimeout = c.Maybe<long>("cltTimeout") ?? v.ClientTimeout,
            Comment = c.MaybeRef<string>("comment") ?? v.Comment,
            StateUpdate = c.Get("stateupdate", v.StateUpdate),
            Kept = KeptOptions.Merge(v.Kept, c.Kept),
        };

        return v;
    }

    private void Bind(ConfigBuilder b, ParsedCommand c)
    {
        var v = Require(b, c);
        if (c.MaybeRef<string>("lbvserver") is { } fallback)
        {
            if (c.Has("policyName"))
            {
                throw c.Error("lbvserver", "give either -lbvserver (the default) or -policyName, not both");
            }

            b.CsVservers[v.Name] = v with { DefaultLbVserver = fallback };
            b.Defer(c, "lbvserver", x => CsPolicyKind.TargetProblem(x, v.Name, fallback));
            return;
        }

        var policy = c.MaybeRef<string>("policyName")
            ?? throw c.Error("expects -policyName NAME -priority N, or -lbvserver NAME: bind cs vserver <name> -policyName <policy> -priority <n>");
        var priority = c.Maybe<long>("priority") ?? throw c.Error("priority", "a policy bound to a cs vserver needs -priority N");

        // A cs, responder or rewrite policy: which one, the end of the batch says (ns.conf writes binds first).
        binds.Bind(b, c, new PolicyBinding(BindPoint.CsVserver(v.Name), policy, priority, c.MaybeRef<string>("gotoPriorityExpression"),
            c.MaybeRef<string>("type"), c.MaybeRef<string>("targetLBVserver")) { Kept = c.Kept });
    }

    private static void Unbind(ConfigBuilder b, ParsedCommand c)
    {
        var v = Require(b, c);
        if (c.Has("lbvserver"))
        {
            var named = c.Get<string>("lbvserver");
            b.CsVservers[v.Name] = v.DefaultLbVserver == named
                ? v with { DefaultLbVserver = null }
                : throw c.Error("lbvserver", $"'{named}' is not the default lb vserver of '{v.Name}'");
            return;
        }

        var policy = c.MaybeRef<string>("policyName") ?? throw c.Error("expects -policyName NAME or -lbvserver NAME");
        PolicyBinds.Unbind(b, c, BindPoint.CsVserver(v.Name), policy, c.MaybeRef<string>("type"));
    }

    private static void AddAction(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.CsActions.ContainsKey(name))
        {
            throw c.Error("name", $"cs action '{name}' already exists");
        }

        if (c.Kept.FirstOrDefault(k => k.Name.Equals("targetVserverExpr", StringComparison.OrdinalIgnoreCase)) is not null)
        {
            throw new UnsupportedCommandException("cs actions with -targetVserverExpr are not supported by Portico (-targetLBVserver is)");
        }

        var target = c.MaybeRef<string>("targetLBVserver") ?? throw c.Error("targetLBVserver", "a cs action needs -targetLBVserver NAME");
        b.CsActions.Add(name, new CsAction(name, target, c.MaybeRef<string>("comment")));
        // Whether the target's type suits the cs vserver is checked where the policy is bound.
        b.Defer(c, "targetLBVserver", x => !x.Vservers.TryGetValue(target, out var lb) ? $"no lb vserver named '{target}'"
            : !(lb.Type.IsHttp() || lb.Type == ServiceType.Tcp) ? $"'{target}' is {ServiceTypes.Words[lb.Type]}; cs actions target HTTP, SSL or TCP lb vservers" : null);
    }

    private static void RemoveAction(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (!b.CsActions.ContainsKey(name))
        {
            throw c.Error("name", $"no cs action named '{name}'");
        }

        if (b.CsPolicies.Values.FirstOrDefault(p => p.Action == name) is { } user)
        {
            throw c.Error("name", $"'{name}' is the action of cs policy '{user.Name}'; remove or change the policy first");
        }

        b.CsActions.Remove(name);
    }

    private void AddPolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("policyName");
        if (b.CsPolicies.ContainsKey(name))
        {
            throw c.Error("policyName", $"cs policy '{name}' already exists");
        }

        if (c.Kept.FirstOrDefault(k => k.Name.Equals("url", StringComparison.OrdinalIgnoreCase) || k.Name.Equals("domain", StringComparison.OrdinalIgnoreCase)) is { } classic)
        {
            throw new UnsupportedCommandException($"cs policies with -{classic.Name} (classic) are not supported by Portico; write it as -rule");
        }

        var rule = c.MaybeRef<string>("rule") ?? throw c.Error("rule", "a cs policy needs -rule EXPRESSION");
        Check(b, c, rule);
        var policy = new CsPolicy(name, rule, c.MaybeRef<string>("action"), c.MaybeRef<string>("comment")) { Kept = c.Kept };
        b.CsPolicies.Add(name, policy);
        DeferAction(b, c, policy);
    }

    private void SetPolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("policyName");
        var p = b.CsPolicies.TryGetValue(name, out var found) ? found : throw c.Error("policyName", $"no cs policy named '{name}'");
        if (c.MaybeRef<string>("rule") is { } rule)
        {
            Check(b, c, rule);
        }

        p = p with
        {
            Rule = c.MaybeRef<string>("rule") ?? p.Rule,
            Action = c.MaybeRef<string>("action") ?? p.Action,
            Comment = c.MaybeRef<string>("comment") ?? p.Comment,
            Kept = KeptOptions.Merge(p.Kept, c.Kept),
        };
        b.CsPolicies[name] = p;
        DeferAction(b, c, p);
    }

    private static void DeferAction(ConfigBuilder b, ParsedCommand c, CsPolicy p)
    {
        if (p.Action is { } action && c.Has("action"))
        {
            b.Defer(c, "action", x => x.CsActions.ContainsKey(action) ? null : $"no cs action named '{action}'");
        }
    }

    private static void RemovePolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("policyName");
        if (!b.CsPolicies.ContainsKey(name))
        {
            throw c.Error("policyName", $"no cs policy named '{name}'");
        }

        if (PolicyBinds.BoundAt(b, name) is { } point)
        {
            throw c.Error("policyName", $"'{name}' is bound to {point}; unbind it first");
        }

        b.CsPolicies.Remove(name);
    }

    /// <summary>The rule compiles now, against the batch's named expressions, pattern sets and location database.</summary>
    private void Check(ConfigBuilder b, ParsedCommand c, string rule) => Expressions.Check(c, "rule", rule, contexts.For(b), rule: true);

    private static CsVserver Require(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        return b.CsVservers.TryGetValue(name, out var v) ? v : throw c.Error("name", $"no cs vserver named '{name}'");
    }
}
