using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Policies;
using Portico.Policies.Commands;

namespace Portico.Compression.Commands;

/// <summary>
/// <c>enable|disable ns feature CMP</c>, <c>set|unset|show cmp parameter</c>, <c>add|set|rm|show cmp action</c>,
/// <c>add|set|rm|show cmp policy</c>, <c>bind|unbind cmp global</c>, <c>stat cmp</c>. Policies bind to lb and cs
/// vservers with their own bind commands (<c>-policyName P -priority N [-type RESPONSE]</c>).
/// </summary>
internal sealed class CmpCommands(ExpressionContexts contexts, PolicyBinds binds) : ICommandModule
{
    /// <summary>NetScaler's vary switch reads ENABLED/DISABLED in its newer releases and YES/NO in older ones.</summary>
    private static readonly ValueParser YesNo = words =>
    {
        Values.ExpectCount(words, 1, 1);
        return words[0].Text.ToUpperInvariant() switch
        {
            "YES" or "ENABLED" => true,
            "NO" or "DISABLED" => false,
            _ => throw new ValueException(0, "expected YES or NO"),
        };
    };

    /// <summary>A NetScaler keyword (any case); the message names them as the CLI's help does.</summary>
    private static ValueParser Keywords<T>(KeywordMap<T> map) where T : struct, Enum => words =>
    {
        Values.ExpectCount(words, 1, 1);
        return map.TryParse(words[0].Text, out var v) ? v : throw new ValueException(0, $"expected {string.Join(", ", map.Words.Select(w => w.ToUpperInvariant()))} (any case)");
    };

    private static readonly ValueParser Features = words =>
    {
        Values.ExpectCount(words, 1, int.MaxValue);
        var known = Appliance.Commands.NsFeatures.Acronyms.ToList();
        var list = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            list.Add(known.FirstOrDefault(k => k.Equals(words[i].Text, StringComparison.OrdinalIgnoreCase))
                ?? throw new ValueException(i, $"'{words[i].Text}' is not a NetScaler feature (show ns feature lists them)"));
        }

        return list;
    };

    /// <summary>
    /// NetScaler options of cmp parameter Portico keeps and writes back without acting on: <c>-cmpOnPush</c> (Portico
    /// flushes after every read anyway), <c>-policyType</c> (Portico's policies are advanced ones), and the rest.
    /// </summary>
    private static readonly string[] ParameterKept =
        ["cmpOnPush", "policyType", "quantumSize", "serverCmp", "heurExpiry", "heurExpiryThres", "heurExpiryHistWt", "minResSizeCmp", "externalCache",
         "varyHeaderValue", "randomGzipFilename", "randomGzipFilenameMinLength", "randomGzipFilenameMaxLength"];

    public void Register(CommandRegistry r)
    {
        r.Sections.Add(CmpSections.Feature, ConfigRank.Appliance + 10, CmpLines.Feature);
        r.Sections.Add(CmpSections.Parameter, ConfigRank.Settings + 30, CmpLines.Parameter);
        r.Sections.Add(CmpSections.Actions, ConfigRank.Policies + 60, CmpLines.Actions);
        r.Sections.Add(CmpSections.Policies, ConfigRank.Policies + 61, CmpLines.Policies);

        r.Mutation("enable", "ns feature", "Turns compression on when the list names CMP; other features are always on in Portico (kept without effect)")
            .Rest("feature", Features, "feature acronyms (show ns feature)")
            .Applies((b, c) => Switch(b, c, true));

        r.Mutation("disable", "ns feature", "Turns compression off when the list names CMP; other features cannot be turned off (kept without effect)")
            .Rest("feature", Features, "feature acronyms (show ns feature)")
            .Applies((b, c) => Switch(b, c, false));

        r.Mutation("set", "cmp parameter", "Sets compression's global parameters: level, smallest body, CPU bypass, Vary")
            .Option("cmpLevel", Keywords(CmpParameter.Levels), "optimal (default), bestspeed or bestcompression")
            .Option("minResSize", Values.Int(0, 2_147_483_647), "bodies smaller than this (by Content-Length) are not compressed (default 0)")
            .Option("cmpBypassPct", Values.Int(0, 100), "compress only while CPU use is at most this percentage (default 100: always)")
            .Option("addVaryHeader", YesNo, "add Vary: Accept-Encoding to compressed responses (default YES)")
            .Keeps(ParameterKept)
            .Applies(SetParameter);

        r.Mutation("unset", "cmp parameter", "Resets compression parameters to their defaults")
            .Option("cmpLevel", Values.Flag, "back to optimal")
            .Option("minResSize", Values.Flag, "back to 0")
            .Option("cmpBypassPct", Values.Flag, "back to 100")
            .Option("addVaryHeader", Values.Flag, "back to YES")
            .Keeps(ParameterKept)
            .Applies((b, c) => b.CmpParameter = b.CmpParameter with
            {
                Level = c.Has("cmpLevel") ? CmpParameter.Default.Level : b.CmpParameter.Level,
                MinResSize = c.Has("minResSize") ? CmpParameter.Default.MinResSize : b.CmpParameter.MinResSize,
                BypassPct = c.Has("cmpBypassPct") ? CmpParameter.Default.BypassPct : b.CmpParameter.BypassPct,
                AddVaryHeader = c.Has("addVaryHeader") ? CmpParameter.Default.AddVaryHeader : b.CmpParameter.AddVaryHeader,
                Kept = KeptOptions.Remove(b.CmpParameter.Kept, c.Kept),
            });

        r.Query("show", "cmp parameter", "Shows compression's switch and parameters, and what each level means per coding")
            .Runs(CmpLists.Parameter);

        r.Mutation("add", "cmp action", "Adds a compression action: which coding a matching policy writes")
            .Positional("name", Values.Name, "the action's name")
            .Option("cmpType", Keywords(CmpAction.Types), "compress (the client's preferred coding), gzip, deflate or nocompress")
            .Option("deltaType", PolicyValues.Words("PERURL", "PERPOLICY"), "NetScaler's delta compression: kept, not done by Portico")
            .Option("comment", Values.Text, "free text")
            .Keeps("addVaryHeader", "varyHeaderValue", "feature")
            .Applies(AddAction);

        r.Mutation("set", "cmp action", "Changes a compression action; its policies follow at once")
            .Positional("name", Values.Name, "the action's name")
            .Option("cmpType", Keywords(CmpAction.Types), "compress, gzip, deflate or nocompress")
            .Option("deltaType", PolicyValues.Words("PERURL", "PERPOLICY"), "NetScaler's delta compression: kept")
            .Option("comment", Values.Text, "free text")
            .Keeps("addVaryHeader", "varyHeaderValue", "feature")
            .Applies(SetAction);

        r.Mutation("rm", "cmp action", "Removes a compression action no policy uses")
            .Positional("name", Values.Name, "the action's name")
            .Applies(RemoveAction);

        r.Query("show", "cmp action", "Lists compression actions with their type and users")
            .Positional("name", Values.Name, "an action's name", required: false)
            .Runs(CmpLists.Actions);

        r.Mutation("add", "cmp policy", "Adds a compression policy: a rule on the response and what to do when it matches")
            .Positional("name", Values.Name, "the policy's name")
            .Option("rule", Values.Text, "a boolean expression (HTTP.RES.HEADER(\"Content-Type\").CONTAINS(\"text\"))")
            .Option("resAction", Values.Name, "an added cmp action, or COMPRESS, GZIP, DEFLATE, NOCOMPRESS")
            .Option("comment", Values.Text, "free text")
            .Keeps("feature")
            .Applies(AddPolicy);

        r.Mutation("set", "cmp policy", "Changes a compression policy; bound vservers follow at once")
            .Positional("name", Values.Name, "the policy's name")
            .Option("rule", Values.Text, "a boolean expression")
            .Option("resAction", Values.Name, "an action")
            .Option("comment", Values.Text, "free text")
            .Keeps("feature")
            .Applies(SetPolicy);

        r.Mutation("rm", "cmp policy", "Removes a compression policy that is not bound")
            .Positional("name", Values.Name, "the policy's name")
            .Applies(RemovePolicy);

        r.Query("show", "cmp policy", "Lists compression policies (added and built-in) with rule, action and where they are bound")
            .Positional("name", Values.Name, "a policy's name", required: false)
            .Runs(CmpLists.Policies);

        r.Query("stat", "cmp", "Shows what compression did: responses compressed, bytes in and out, ratio, bypasses, hits per policy")
            .Runs<CmpStatistics>(s => s.Of);

        r.Mutation("bind", "cmp global", "Binds a compression policy globally: RES_OVERRIDE before the vservers', RES_DEFAULT (default) after")
            .Positional("policyName", Values.Name, "a cmp policy")
            .Positional("priority", Values.Int(1, 2_147_483_647), "lower is evaluated first")
            .Positional("gotoPriorityExpression", PolicyValues.Goto, "END (default), NEXT or a priority", required: false)
            .Option("type", PolicyValues.Words("RES_OVERRIDE", "RES_DEFAULT"), "the bank (default RES_DEFAULT)")
            .Keeps("invoke", "labelType", "labelName", "state")
            .Applies((b, c) => binds.Bind(b, c, new PolicyBinding(BindPoint.Global("cmp"), c.Get<string>("policyName"), c.Get<long>("priority"),
                c.MaybeRef<string>("gotoPriorityExpression"), c.MaybeRef<string>("type"), null) { Kept = c.Kept }));

        r.Mutation("unbind", "cmp global", "Unbinds a global compression policy")
            .Positional("policyName", Values.Name, "a bound cmp policy")
            .Option("type", PolicyValues.Words("RES_OVERRIDE", "RES_DEFAULT"), "the bank")
            .Keeps("priority")
            .Applies((b, c) => PolicyBinds.Unbind(b, c, BindPoint.Global("cmp"), c.Get<string>("policyName"), c.MaybeRef<string>("type")));
    }

    private static void Switch(ConfigBuilder b, ParsedCommand c, bool on)
    {
        var words = c.Get<List<string>>("feature");
        if (!words.Contains("CMP"))
        {
            // Features Portico has are always on: such a line is kept and written back, as before compression had a switch.
            throw new UnsupportedCommandException("'enable|disable ns feature' is NetScaler's built-in license switch; Portico's features are always on (show ns feature): kept, no effect");
        }

        var f = b.CmpFeature;
        var kept = f.Words.Where(w => !words.Contains(w)).ToList();
        b.CmpFeature = on ? new CmpFeature(true, [.. kept, .. words]) : new CmpFeature(false, []);
    }

    private static void SetParameter(ConfigBuilder b, ParsedCommand c)
    {
        var p = b.CmpParameter;
        b.CmpParameter = p with
        {
            Level = c.Maybe<CmpLevel>("cmpLevel") ?? p.Level,
            MinResSize = c.Maybe<long>("minResSize") ?? p.MinResSize,
            BypassPct = (int?)c.Maybe<long>("cmpBypassPct") ?? p.BypassPct,
            AddVaryHeader = c.Maybe<bool>("addVaryHeader") ?? p.AddVaryHeader,
            Kept = KeptOptions.Merge(p.Kept, c.Kept),
        };
    }

    private static void AddAction(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.CmpActions.ContainsKey(name) || CmpAction.BuiltIn.Contains(name.ToUpperInvariant()))
        {
            throw c.Error("name", $"cmp action '{name}' already exists");
        }

        var type = c.Maybe<CmpType>("cmpType") ?? throw c.Error("name", $"add cmp action {name} needs -cmpType compress|gzip|deflate|nocompress");
        b.CmpActions.Add(name, new CmpAction(name, type, c.MaybeRef<string>("deltaType"), c.MaybeRef<string>("comment")) { Kept = c.Kept });
    }

    private static void SetAction(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        var a = b.CmpActions.TryGetValue(name, out var found) ? found : throw c.Error("name", $"no cmp action named '{name}'");
        b.CmpActions[name] = a with
        {
            Type = c.Maybe<CmpType>("cmpType") ?? a.Type,
            DeltaType = c.MaybeRef<string>("deltaType") ?? a.DeltaType,
            Comment = c.MaybeRef<string>("comment") ?? a.Comment,
            Kept = KeptOptions.Merge(a.Kept, c.Kept),
        };
    }

    private static void RemoveAction(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (!b.CmpActions.ContainsKey(name))
        {
            throw c.Error("name", $"no cmp action named '{name}'");
        }

        if (b.CmpPolicies.Values.FirstOrDefault(p => p.ResAction == name) is { } user)
        {
            throw c.Error("name", $"'{name}' is used by cmp policy '{user.Name}'; remove or change the policy first");
        }

        b.CmpActions.Remove(name);
    }

    private void AddPolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.CmpPolicies.ContainsKey(name) || CmpBuiltIns.Find(name) is not null)
        {
            throw c.Error("name", $"cmp policy '{name}' already exists{(CmpBuiltIns.Find(name) is not null ? " (a built-in policy)" : "")}");
        }

        var rule = c.MaybeRef<string>("rule") ?? throw c.Error("name", $"add cmp policy {name} needs -rule EXPRESSION");
        var action = c.MaybeRef<string>("resAction") ?? throw c.Error("name", $"add cmp policy {name} needs -resAction COMPRESS|GZIP|DEFLATE|NOCOMPRESS|ACTION");
        Expressions.Check(c, "rule", rule, contexts.For(b), rule: true, response: true);
        var p = new CmpPolicy(name, rule, action, c.MaybeRef<string>("comment")) { Kept = c.Kept };
        b.CmpPolicies.Add(name, p);
        DeferAction(b, c, p);
    }

    private void SetPolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (CmpBuiltIns.Find(name) is not null && !b.CmpPolicies.ContainsKey(name))
        {
            throw c.Error("name", $"'{name}' is a built-in policy: add a policy of your own instead");
        }

        var p = b.CmpPolicies.TryGetValue(name, out var found) ? found : throw c.Error("name", $"no cmp policy named '{name}'");
        p = p with
        {
            Rule = c.MaybeRef<string>("rule") ?? p.Rule,
            ResAction = c.MaybeRef<string>("resAction") ?? p.ResAction,
            Comment = c.MaybeRef<string>("comment") ?? p.Comment,
            Kept = KeptOptions.Merge(p.Kept, c.Kept),
        };
        if (c.Has("rule"))
        {
            Expressions.Check(c, "rule", p.Rule, contexts.For(b), rule: true, response: true);
        }

        b.CmpPolicies[name] = p;
        DeferAction(b, c, p);
    }

    private static void DeferAction(ConfigBuilder b, ParsedCommand c, CmpPolicy p) =>
        b.Defer(c, c.Has("resAction") ? "resAction" : "name", x =>
            CmpAction.BuiltIn.Contains(p.ResAction.ToUpperInvariant()) || x.CmpActions.ContainsKey(p.ResAction) ? null : $"no cmp action named '{p.ResAction}'");

    private static void RemovePolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (!b.CmpPolicies.ContainsKey(name))
        {
            throw c.Error("name", CmpBuiltIns.Find(name) is not null ? $"'{name}' is a built-in policy and cannot be removed" : $"no cmp policy named '{name}'");
        }

        if (PolicyBinds.BoundAt(b, name) is { } point)
        {
            throw c.Error("name", $"'{name}' is bound to {point}; unbind it first");
        }

        b.CmpPolicies.Remove(name);
    }
}
