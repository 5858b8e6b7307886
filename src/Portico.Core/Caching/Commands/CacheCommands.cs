using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Policies;
using Portico.Policies.Commands;

namespace Portico.Caching.Commands;

/// <summary>
/// The integrated cache's commands: <c>set|show cache parameter</c>, <c>add|set|rm|show cache contentGroup</c>,
/// <c>add|set|rm|show cache policy</c>, <c>bind|unbind cache global</c>, <c>flush cache contentGroup|object</c>,
/// <c>show cache object</c>, <c>stat cache</c>. Policies bind to lb and cs vservers with their own bind commands
/// (<c>-policyName P -priority N -type REQUEST|RESPONSE</c>).
/// </summary>
internal sealed class CacheCommands(ExpressionContexts contexts, PolicyBinds binds) : ICommandModule
{
    private static readonly string[] GlobalTypes = ["REQ_OVERRIDE", "REQ_DEFAULT", "RES_OVERRIDE", "RES_DEFAULT"];

    // Accepted by the parser so a saved ns.conf's HTTP/3 binds are reported unsupported, not rejected.
    private static readonly string[] BindTypes = [.. GlobalTypes, "HTTPQUIC_REQ_OVERRIDE", "HTTPQUIC_REQ_DEFAULT", "HTTPQUIC_RES_OVERRIDE", "HTTPQUIC_RES_DEFAULT"];

    public void Register(CommandRegistry r)
    {
        r.Sections.Add(CacheSections.Groups, ConfigRank.Policies + 70, CacheLines.Groups);
        r.Sections.Add(CacheSections.Policies, ConfigRank.Policies + 71, CacheLines.Policies);
        r.Sections.Add(CacheSections.Parameters, ConfigRank.Settings + 35, CacheLines.Parameters);

        r.Mutation("set", "cache parameter", "Sets the integrated cache's memory limit and the Via value its groups insert")
            .Option("memLimit", Values.Int(1, 1_048_576), $"megabytes all stored objects may take (default {CacheParameters.DefaultMemLimitMb})")
            .Option("via", Values.Text, $"the Via field's value for groups with -insertVia YES (default {CacheParameters.DefaultVia})")
            .Keeps("verifyUsing", "maxPostLen", "prefetchMaxPending", "enableBypass", "undefAction", "enableHaObjPersist")
            .Applies(SetParameters);

        r.Query("show", "cache parameter", "Shows the cache's memory limit, memory in use and Via value")
            .Runs<CacheReports>(x => x.Parameters);

        GroupCommand(r.Mutation("add", "cache contentGroup", "Adds a content group: how long, how big and how its objects are stored")
            .Positional("name", Values.Name, "the group's name")).Applies(AddGroup);
        GroupCommand(r.Mutation("set", "cache contentGroup", "Changes a content group (the built-in DEFAULT, BASEFILE and DELTAJS too)")
            .Positional("name", Values.Name, "the group's name")).Applies(SetGroup);

        r.Mutation("rm", "cache contentGroup", "Removes a content group no policy stores in, with its objects")
            .Positional("name", Values.Name, "the group's name")
            .Applies(RemoveGroup);

        r.Query("show", "cache contentGroup", "Lists content groups with their settings, objects and memory")
            .Positional("name", Values.Name, "a group's name", required: false)
            .Runs<CacheReports>(x => x.Groups);

        r.Mutation("add", "cache policy", "Adds a cache policy: a rule and what the cache does with what it matches")
            .Positional("policyName", Values.Name, "the policy's name")
            .Option("rule", Values.Text, "a boolean expression on the request (or, bound on the response, the response)")
            .Option("action", CachePolicy.Actions.Parser, "CACHE, NOCACHE, MAY_CACHE, MAY_NOCACHE or INVAL")
            .Option("storeInGroup", Values.Name, "the content group its objects go in (default DEFAULT)")
            .Option("invalGroups", Values.Words, "INVAL: the groups emptied")
            .Option("invalObjects", Values.Words, "INVAL: the groups whose object for this request is removed")
            .Option("undefAction", CachePolicy.Actions.Parser, "when the rule cannot be evaluated: an action (default: go on)")
            .Option("comment", Values.Text, "free text")
            .Applies(AddPolicy);

        r.Mutation("set", "cache policy", "Changes a cache policy; bound vservers follow at once")
            .Positional("policyName", Values.Name, "the policy's name")
            .Option("rule", Values.Text, "a boolean expression")
            .Option("action", CachePolicy.Actions.Parser, "CACHE, NOCACHE, MAY_CACHE, MAY_NOCACHE or INVAL")
            .Option("storeInGroup", Values.Name, "a content group")
            .Option("invalGroups", Values.Words, "INVAL: the groups emptied")
            .Option("invalObjects", Values.Words, "INVAL: the groups whose object for this request is removed")
            .Option("undefAction", CachePolicy.Actions.Parser, "an action")
            .Option("comment", Values.Text, "free text")
            .Applies(SetPolicy);

        r.Mutation("rm", "cache policy", "Removes a cache policy that is not bound")
            .Positional("policyName", Values.Name, "the policy's name")
            .Applies(RemovePolicy);

        r.Query("show", "cache policy", "Lists cache policies with rule, action, group, hits and where they are bound")
            .Positional("policyName", Values.Name, "a policy's name", required: false)
            .Runs<CacheReports>(x => x.Policies);

        r.Mutation("bind", "cache global", "Binds a cache policy globally: REQ_OVERRIDE/RES_OVERRIDE before the vservers', REQ_DEFAULT/RES_DEFAULT after")
            .Positional("policy", Values.Name, "a cache policy")
            .Option("priority", Values.Int(1, 2_147_483_647), "lower is evaluated first")
            .Option("type", PolicyValues.Words(BindTypes), "the bank (default REQ_DEFAULT)")
            .Option("gotoPriorityExpression", PolicyValues.Goto, "END (default), NEXT or a priority")
            .Keeps("invoke", "labelType", "labelName")
            .Applies(BindGlobal);

        r.Mutation("unbind", "cache global", "Unbinds a global cache policy")
            .Positional("policy", Values.Name, "a bound cache policy")
            .Option("type", PolicyValues.Words(GlobalTypes), "the bank")
            .Keeps("priority")
            .Applies((b, c) => PolicyBinds.Unbind(b, c, BindPoint.Global("cache"), c.Get<string>("policy"), c.MaybeRef<string>("type"), "policy"));

        r.Action("flush", "cache contentGroup", "Removes every stored object of a content group (or of all: flush cache contentGroup all)")
            .Positional("name", Values.Name, "a group's name, or all")
            .Keeps("query", "host", "selectorValue", "force")
            .Runs<CacheReports>(x => x.FlushGroup);

        r.Action("flush", "cache object", "Removes one stored object: by -locator, or by -url and -host (every variant)")
            .Option("locator", Values.Int(1, long.MaxValue), "the number show cache object gives")
            .Option("url", Values.Text, "the path and query, as requested")
            .Option("host", Values.Text, "the Host the object was requested with")
            .Option("groupName", Values.Name, "with -url: only this group's object")
            .Keeps("port", "httpMethod", "httpStatus", "force")
            .Runs<CacheReports>(x => x.FlushObject);

        r.Query("show", "cache object", "Lists stored objects: locator, URL, host, group, size, age, hits and expiry")
            .Option("locator", Values.Int(1, long.MaxValue), "one object")
            .Option("url", Values.Text, "objects of this path and query")
            .Option("host", Values.Text, "objects requested with this Host")
            .Option("group", Values.Name, "objects of this group")
            .Keeps("port", "groupName", "httpMethod", "httpStatus", "ignoreMarkerObjects", "includeNotReadyObjects")
            .Runs<CacheReports>(x => x.Objects);

        r.Query("stat", "cache", "Shows the cache's hits, misses, 304s served, stores, evictions and memory")
            .Keeps("detail", "fullValues", "ntimes", "logFile", "clearstats")
            .Runs<CacheReports>(x => x.Stat);
    }

    private static CommandSpecBuilder GroupCommand(CommandSpecBuilder s) => s
        .Option("relExpiry", Values.Int(0, 31_536_000), "seconds every object stays fresh, whatever its headers say")
        .Option("relExpiryMilliSec", Values.Int(0, 86_400_000), "the same in milliseconds (added to -relExpiry)")
        .Option("heurExpiryParam", Values.Int(0, 100), "percent of the time since Last-Modified an object without expiry stays fresh")
        .Option("maxResSize", Values.Int(0, 2_097_151), $"KB: a larger response is passed through, not stored (default {CacheContentGroup.DefaultMaxResSizeKb})")
        .Option("minResSize", Values.Int(0, 2_097_151), "KB: a smaller response is not stored (default 0)")
        .Option("memLimit", Values.Int(0, 1_048_576), "MB this group's objects may take (default: the cache's limit only)")
        .Option("insertETag", Values.YesNo, "give an object without ETag one of Portico's (default YES)")
        .Option("insertAge", Values.YesNo, "send Age with every answer from the cache (default YES)")
        .Option("insertVia", Values.YesNo, "add Via to every answer from the cache (default NO)")
        .Option("hitParams", Values.Words, "query parameters that make an object's key; the others are ignored")
        .Option("ignoreParamValueCase", Values.YesNo, "compare hit parameter values without case (default NO)")
        .Option("flashCache", Values.YesNo, "concurrent misses for one object wait for the one fetch (default NO)")
        .Option("removeCookies", Values.YesNo, "strip Set-Cookie and store the response (default NO: such a response is not stored)")
        .Option("prefetch", Values.YesNo, "refresh an object before it expires (kept, no effect)")
        .Option("ignoreReqCachingHdrs", Values.YesNo, "ignore the request's Cache-Control and Pragma (default NO: no-cache revalidates)")
        .Option("expireAtLastByte", Values.YesNo, "expire an object once sent (kept, no effect)")
        .Option("comment", Values.Text, "free text")
        .Keeps("weakPosRelExpiry", "weakNegRelExpiry", "absExpiry", "absExpiryGMT", "pollEveryTime", "cacheControl", "quickAbortSize", "alwaysEvalPolicies",
            "persistHA", "pinned", "lazyDnsResolve", "hitSelector", "invalSelector", "type", "prefetchPeriod", "prefetchPeriodMilliSec", "prefetchMaxPending",
            "maxResSizeBytes", "query", "host", "selectorValue", "tosecureClient");

    private static void SetParameters(ConfigBuilder b, ParsedCommand c)
    {
        var p = b.CacheParameters;
        b.CacheParameters = p with
        {
            MemLimitMb = c.Maybe<long>("memLimit") ?? p.MemLimitMb,
            Via = c.MaybeRef<string>("via") ?? p.Via,
            Kept = KeptOptions.Merge(p.Kept, c.Kept),
        };
    }

    private static void AddGroup(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");

        // A saved ns.conf adds the built-in groups it changed (add cache contentGroup DEFAULT): once, as NetScaler reads it.
        name = CacheContentGroup.BuiltIn.FirstOrDefault(g => g.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? name;
        if (b.CacheGroups.ContainsKey(name))
        {
            throw c.Error("name", CacheContentGroup.IsBuiltIn(name) ? $"built-in content group '{name}' is already added: change it with set cache contentGroup"
                : $"cache contentGroup '{name}' already exists");
        }

        b.CacheGroups.Add(name, Apply(c, new CacheContentGroup(name) { Kept = c.Kept }));
    }

    private static void SetGroup(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        var builtIn = CacheContentGroup.BuiltIn.FirstOrDefault(g => g.Equals(name, StringComparison.OrdinalIgnoreCase));
        var g = b.CacheGroups.TryGetValue(builtIn ?? name, out var found) ? found
            : builtIn is not null ? new CacheContentGroup(builtIn)
            : throw c.Error("name", $"no cache contentGroup named '{name}'");
        b.CacheGroups[g.Name] = Apply(c, g with { Kept = KeptOptions.Merge(g.Kept, c.Kept) });
    }

    private static CacheContentGroup Apply(ParsedCommand c, CacheContentGroup g)
    {
        var group = g with
        {
            RelExpiry = c.Maybe<long>("relExpiry") ?? g.RelExpiry,
            RelExpiryMilliSec = c.Maybe<long>("relExpiryMilliSec") ?? g.RelExpiryMilliSec,
            HeurExpiryParam = c.Maybe<long>("heurExpiryParam") ?? g.HeurExpiryParam,
            MaxResSize = c.Maybe<long>("maxResSize") ?? g.MaxResSize,
            MinResSize = c.Maybe<long>("minResSize") ?? g.MinResSize,
            MemLimit = c.Maybe<long>("memLimit") ?? g.MemLimit,
            InsertETag = c.Maybe<bool>("insertETag") ?? g.InsertETag,
            InsertAge = c.Maybe<bool>("insertAge") ?? g.InsertAge,
            InsertVia = c.Maybe<bool>("insertVia") ?? g.InsertVia,
            HitParams = c.MaybeRef<List<string>>("hitParams") ?? g.HitParams,
            IgnoreParamValueCase = c.Maybe<bool>("ignoreParamValueCase") ?? g.IgnoreParamValueCase,
            FlashCache = c.Maybe<bool>("flashCache") ?? g.FlashCache,
            RemoveCookies = c.Maybe<bool>("removeCookies") ?? g.RemoveCookies,
            Prefetch = c.Maybe<bool>("prefetch") ?? g.Prefetch,
            IgnoreReqCachingHdrs = c.Maybe<bool>("ignoreReqCachingHdrs") ?? g.IgnoreReqCachingHdrs,
            ExpireAtLastByte = c.Maybe<bool>("expireAtLastByte") ?? g.ExpireAtLastByte,
            Comment = c.MaybeRef<string>("comment") ?? g.Comment,
        };
        if (group.MinResSize is { } min && min > group.MaxResSize.GetValueOrDefault(CacheContentGroup.DefaultMaxResSizeKb))
        {
            throw c.Error(c.Has("minResSize") ? "minResSize" : "maxResSize", $"-minResSize {min} is larger than -maxResSize {group.MaxResSize ?? CacheContentGroup.DefaultMaxResSizeKb}");
        }

        if (group.HitParams.Count > 128)
        {
            throw c.Error("hitParams", $"{group.HitParams.Count} hit parameters; a group has at most 128");
        }

        return group;
    }

    private static void RemoveGroup(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (CacheContentGroup.IsBuiltIn(name))
        {
            throw c.Error("name", $"'{name}' is a built-in content group; it cannot be removed");
        }

        if (!b.CacheGroups.ContainsKey(name))
        {
            throw c.Error("name", $"no cache contentGroup named '{name}'");
        }

        if (b.CachePolicies.Values.FirstOrDefault(p => p.StoreInGroup == name || p.InvalGroups.Contains(name) || p.InvalObjects.Contains(name)) is { } user)
        {
            throw c.Error("name", $"'{name}' is used by cache policy '{user.Name}'; remove or change the policy first");
        }

        b.CacheGroups.Remove(name);
    }

    private void AddPolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("policyName");
        if (b.CachePolicies.ContainsKey(name))
        {
            throw c.Error("policyName", $"cache policy '{name}' already exists");
        }

        var rule = c.MaybeRef<string>("rule") ?? throw c.Error("rule", "a cache policy needs -rule EXPRESSION");
        var action = c.Maybe<CacheAction>("action") ?? throw c.Error("action", "a cache policy needs -action CACHE|NOCACHE|MAY_CACHE|MAY_NOCACHE|INVAL");
        var p = new CachePolicy(name, rule, action) { Kept = c.Kept };
        b.CachePolicies.Add(name, Check(b, c, Apply(c, p), rule: true));
    }

    private void SetPolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("policyName");
        var p = b.CachePolicies.TryGetValue(name, out var found) ? found : throw c.Error("policyName", $"no cache policy named '{name}'");
        p = Apply(c, p with
        {
            Rule = c.MaybeRef<string>("rule") ?? p.Rule,
            Action = c.Maybe<CacheAction>("action") ?? p.Action,
            Kept = KeptOptions.Merge(p.Kept, c.Kept),
        });
        b.CachePolicies[name] = Check(b, c, p, rule: c.Has("rule"));
    }

    private static CachePolicy Apply(ParsedCommand c, CachePolicy p) => p with
    {
        StoreInGroup = c.MaybeRef<string>("storeInGroup") ?? p.StoreInGroup,
        InvalGroups = c.MaybeRef<List<string>>("invalGroups") ?? p.InvalGroups,
        InvalObjects = c.MaybeRef<List<string>>("invalObjects") ?? p.InvalObjects,
        UndefAction = c.Maybe<CacheAction>("undefAction") ?? p.UndefAction,
        Comment = c.MaybeRef<string>("comment") ?? p.Comment,
    };

    /// <summary>The rule compiles; each action has what it needs; the groups it names exist by the end of the batch.</summary>
    private CachePolicy Check(ConfigBuilder b, ParsedCommand c, CachePolicy p, bool rule)
    {
        if (rule)
        {
            Expressions.Check(c, "rule", p.Rule, contexts.For(b), rule: true, response: true);
        }

        if (p.Action == CacheAction.Inval && p.InvalGroups.Count == 0 && p.InvalObjects.Count == 0)
        {
            throw c.Error("action", "an INVAL policy needs -invalGroups or -invalObjects");
        }

        if (p.Action != CacheAction.Inval && (p.InvalGroups.Count > 0 || p.InvalObjects.Count > 0))
        {
            throw c.Error(c.Has("invalGroups") ? "invalGroups" : c.Has("invalObjects") ? "invalObjects" : "action",
                $"-invalGroups and -invalObjects belong to an INVAL policy, not {CachePolicy.Actions[p.Action]}");
        }

        if (p.StoreInGroup is not null && p.Action is not (CacheAction.Cache or CacheAction.MayCache))
        {
            throw c.Error(c.Has("storeInGroup") ? "storeInGroup" : "action", $"-storeInGroup belongs to a CACHE or MAY_CACHE policy, not {CachePolicy.Actions[p.Action]}");
        }

        foreach (var (option, group) in new[] { ("storeInGroup", p.StoreInGroup) }.Concat(p.InvalGroups.Select(g => ("invalGroups", (string?)g)))
                     .Concat(p.InvalObjects.Select(g => ("invalObjects", (string?)g))))
        {
            if (group is { } g)
            {
                b.Defer(c, c.Has(option) ? option : "policyName", x => x.HasCacheGroup(g) ? null : $"no cache contentGroup named '{g}'");
            }
        }

        return p;
    }

    private static void RemovePolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("policyName");
        if (!b.CachePolicies.ContainsKey(name))
        {
            throw c.Error("policyName", $"no cache policy named '{name}'");
        }

        if (PolicyBinds.BoundAt(b, name) is { } point)
        {
            throw c.Error("policyName", $"'{name}' is bound to {point}; unbind it first");
        }

        b.CachePolicies.Remove(name);
    }

    private void BindGlobal(ConfigBuilder b, ParsedCommand c)
    {
        // A saved ns.conf invokes NetScaler's built-in policy labels through the NOPOLICY placeholder; and its HTTP/3 banks.
        if (c.Get<string>("policy").Equals("NOPOLICY", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedCommandException("cache policy labels (bind cache global NOPOLICY -invoke policylabel ...) are not supported by Portico: bind the policies themselves");
        }

        if (c.MaybeRef<string>("type") is { } quic && quic.StartsWith("HTTPQUIC_", StringComparison.Ordinal))
        {
            throw new UnsupportedCommandException($"-type {quic}: Portico has no HTTP/3 (QUIC) banks");
        }

        var priority = c.Maybe<long>("priority") ?? throw c.Error("priority", "bind cache global needs -priority N");
        binds.Bind(b, c, new PolicyBinding(BindPoint.Global("cache"), c.Get<string>("policy"), priority, c.MaybeRef<string>("gotoPriorityExpression"),
            c.MaybeRef<string>("type"), null) { Kept = c.Kept }, policyParameter: "policy");
    }
}
