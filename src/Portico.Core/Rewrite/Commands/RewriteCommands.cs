using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Policies;
using Portico.Policies.Commands;
using Portico.Policies.Expressions;

namespace Portico.Rewrite.Commands;

/// <summary>
/// <c>add|set|rm|show rewrite action</c>, <c>add|set|rm|show|stat rewrite policy</c>, <c>bind|unbind rewrite global</c>.
/// Policies bind to lb and cs vservers with their own bind commands (<c>-policyName P -priority N -type REQUEST|RESPONSE</c>).
/// </summary>
internal sealed class RewriteCommands(ExpressionContexts contexts, PolicyBinds binds) : ICommandModule
{
    /// <summary>Fields Portico writes itself (framing and connection management): rewriting them could make the two sides read different messages.</summary>
    private static readonly string[] Framing =
        ["Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE", "Trailer", "Proxy-Connection"];

    private static readonly string[] GlobalTypes = ["REQ_OVERRIDE", "REQ_DEFAULT", "RES_OVERRIDE", "RES_DEFAULT"];

    public void Register(CommandRegistry r)
    {
        r.Sections.Add(RewriteSections.Actions, ConfigRank.Policies + 51, RewriteLines.Actions);
        r.Sections.Add(RewriteSections.Policies, ConfigRank.Policies + 52, RewriteLines.Policies);

        r.Mutation("add", "rewrite action", "Adds a rewrite action: a change to the request or response head")
            .Positional("name", Values.Name, "the action's name")
            .Positional("type", RewriteAction.Types.Parser, "insert_http_header, delete_http_header, corrupt_http_header, replace, insert_after, insert_before, replace_all, delete or noop")
            .Positional("target", Values.Text, "a header name, or what to change (HTTP.REQ.URL, HTTP.REQ.HEADER(\"X\"), ...)", required: false)
            .Positional("stringBuilderExpr", Values.Text, "the value: an expression", required: false)
            .Option("search", Values.Text, "replace_all: text(\"x\") or regex(re/x/)")
            .Option("comment", Values.Text, "free text")
            .Keeps("bypassSafetyCheck", "refineSearch", "pattern")
            .Applies(AddAction);

        r.Mutation("set", "rewrite action", "Changes a rewrite action; its policies use it at once")
            .Positional("name", Values.Name, "the action's name")
            .Option("target", Values.Text, "a header name or what to change")
            .Option("stringBuilderExpr", Values.Text, "the value")
            .Option("search", Values.Text, "text(\"x\") or regex(re/x/)")
            .Option("comment", Values.Text, "free text")
            .Keeps("bypassSafetyCheck", "refineSearch")
            .Applies(SetAction);

        r.Mutation("rm", "rewrite action", "Removes a rewrite action no policy uses")
            .Positional("name", Values.Name, "the action's name")
            .Applies((b, c) =>
            {
                var name = c.Get<string>("name");
                if (!b.RewriteActions.ContainsKey(name))
                {
                    throw c.Error("name", $"no rewrite action named '{name}'");
                }

                if (b.RewritePolicies.Values.FirstOrDefault(p => p.Action == name || p.UndefAction == name) is { } user)
                {
                    throw c.Error("name", $"'{name}' is used by rewrite policy '{user.Name}'; remove or change the policy first");
                }

                b.RewriteActions.Remove(name);
            });

        r.Query("show", "rewrite action", "Lists rewrite actions with their type, target, value and users")
            .Positional("name", Values.Name, "an action's name", required: false)
            .Runs(RewriteLists.Actions);

        r.Mutation("add", "rewrite policy", "Adds a rewrite policy: a rule and the action taken when it matches")
            .Positional("name", Values.Name, "the policy's name")
            .Positional("rule", Values.Text, "a boolean expression")
            .Positional("action", Values.Name, "an added action, or NOREWRITE, RESET, DROP")
            .Positional("undefAction", PolicyValues.Words(RewritePolicy.BuiltInActions), "when the rule cannot be evaluated: NOREWRITE (default), RESET, DROP", required: false)
            .Option("comment", Values.Text, "free text")
            .Keeps("logAction")
            .Applies(AddPolicy);

        r.Mutation("set", "rewrite policy", "Changes a rewrite policy; bound vservers follow at once")
            .Positional("name", Values.Name, "the policy's name")
            .Option("rule", Values.Text, "a boolean expression")
            .Option("action", Values.Name, "an action")
            .Option("undefAction", PolicyValues.Words(RewritePolicy.BuiltInActions), "NOREWRITE, RESET or DROP")
            .Option("comment", Values.Text, "free text")
            .Keeps("logAction")
            .Applies(SetPolicy);

        r.Mutation("rm", "rewrite policy", "Removes a rewrite policy that is not bound")
            .Positional("name", Values.Name, "the policy's name")
            .Applies((b, c) =>
            {
                var name = c.Get<string>("name");
                if (!b.RewritePolicies.ContainsKey(name))
                {
                    throw c.Error("name", $"no rewrite policy named '{name}'");
                }

                if (PolicyBinds.BoundAt(b, name) is { } point)
                {
                    throw c.Error("name", $"'{name}' is bound to {point}; unbind it first");
                }

                b.RewritePolicies.Remove(name);
            });

        r.Query("show", "rewrite policy", "Lists rewrite policies with rule, action and where they are bound")
            .Positional("name", Values.Name, "a policy's name", required: false)
            .Runs(RewriteLists.Policies);

        r.Query("stat", "rewrite policy", "Shows the hits and UNDEF evaluations of each rewrite policy")
            .Positional("name", Values.Name, "a policy's name", required: false)
            .Runs<RewriteStats>(s => s.Of);

        r.Mutation("bind", "rewrite global", "Binds a rewrite policy globally: REQ_/RES_OVERRIDE before the vservers', REQ_/RES_DEFAULT after")
            .Positional("policyName", Values.Name, "a rewrite policy")
            .Positional("priority", Values.Int(1, 2_147_483_647), "lower is evaluated first")
            .Positional("gotoPriorityExpression", PolicyValues.Goto, "END (default), NEXT or a priority", required: false)
            .Option("type", PolicyValues.Words(GlobalTypes), "the bank (default REQ_DEFAULT)")
            .Keeps("invoke", "labelType", "labelName")
            .Applies((b, c) => binds.Bind(b, c, new PolicyBinding(BindPoint.Global("rewrite"), c.Get<string>("policyName"), c.Get<long>("priority"),
                c.MaybeRef<string>("gotoPriorityExpression"), c.MaybeRef<string>("type"), null) { Kept = c.Kept }));

        r.Mutation("unbind", "rewrite global", "Unbinds a global rewrite policy")
            .Positional("policyName", Values.Name, "a bound rewrite policy")
            .Option("type", PolicyValues.Words(GlobalTypes), "the bank")
            .Keeps("priority")
            .Applies((b, c) => PolicyBinds.Unbind(b, c, BindPoint.Global("rewrite"), c.Get<string>("policyName"), c.MaybeRef<string>("type")));
    }

    private void AddAction(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.RewriteActions.ContainsKey(name) || RewritePolicy.BuiltInActions.Contains(name.ToUpperInvariant()))
        {
            throw c.Error("name", $"rewrite action '{name}' already exists");
        }

        var a = new RewriteAction(name, c.Get<RewriteActionType>("type"), c.MaybeRef<string>("target") ?? "", c.MaybeRef<string>("stringBuilderExpr"),
            c.MaybeRef<string>("search"), c.MaybeRef<string>("comment")) { Kept = c.Kept };
        b.RewriteActions.Add(name, Check(b, c, a));
    }

    private void SetAction(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        var a = b.RewriteActions.TryGetValue(name, out var found) ? found : throw c.Error("name", $"no rewrite action named '{name}'");
        a = a with
        {
            Target = c.MaybeRef<string>("target") ?? a.Target,
            Value = c.MaybeRef<string>("stringBuilderExpr") ?? a.Value,
            Search = c.MaybeRef<string>("search") ?? a.Search,
            Comment = c.MaybeRef<string>("comment") ?? a.Comment,
            Kept = KeptOptions.Merge(a.Kept, c.Kept),
        };
        b.RewriteActions[name] = Check(b, c, a);
    }

    /// <summary>Each type has what it needs, the target is a place Portico can change, and the value compiles.</summary>
    private RewriteAction Check(ConfigBuilder b, ParsedCommand c, RewriteAction a)
    {
        var type = RewriteAction.Types[a.Type];
        if (a.Type == RewriteActionType.Noop)
        {
            return a;
        }

        if (a.Target.Length == 0)
        {
            throw c.Error("type", $"a {type} action needs a target: add rewrite action {a.Name} {type} <target> ...");
        }

        if (a.TargetsHeaderName)
        {
            if (!a.Target.All(ch => char.IsAsciiLetterOrDigit(ch) || "!#$%&'*+-.^_`|~".Contains(ch)))
            {
                throw c.Error("target", $"'{a.Target}' is not a header field name");
            }

            if (Framing.Any(f => f.Equals(a.Target, StringComparison.OrdinalIgnoreCase)) || a.Target.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                throw c.Error("target", $"{a.Target} is written by Portico itself (framing, connection, host); rewriting it could make client and server read different messages");
            }
        }
        else if (RewriteTarget.Parse(a.Target) is not { } target)
        {
            throw UnsupportedOrWrong(c, a.Target);
        }
        else if (target.Part == TargetPart.Header && Framing.Any(f => f.Equals(target.Header, StringComparison.OrdinalIgnoreCase)))
        {
            throw c.Error("target", $"{target.Header} is written by Portico itself; rewriting it could make client and server read different messages");
        }

        if (a.HasValue)
        {
            var value = a.Value ?? throw c.Error("type", $"a {type} action needs a value expression after its target");
            Expressions.Check(c, c.Has("stringBuilderExpr") ? "stringBuilderExpr" : "name", value, contexts.For(b), rule: false, response: true);
        }

        if (a.Type == RewriteActionType.ReplaceAll && (a.Search is null || RewriteSearch.Parse(a.Search) is null))
        {
            throw c.Error(a.Search is null ? "type" : "search", "replace_all needs -search text(\"...\") or -search regex(re/.../)");
        }

        return a;
    }

    private static Exception UnsupportedOrWrong(ParsedCommand c, string target)
    {
        try
        {
            ExpressionCompiler.Compile(target, ExpressionContext.Empty);
        }
        catch (ExpressionException e)
        {
            return c.Error("target", e.Located);
        }
        catch (UnsupportedExpressionException e)
        {
            return new UnsupportedCommandException($"the rewrite target uses {e.Function}, which Portico does not implement");
        }

        // A valid expression Portico cannot change in place (a body, a cookie, a status): unsupported, by what it names.
        return new UnsupportedCommandException($"rewriting {target} is not supported by Portico (URL, URL.PATH, URL.QUERY, HOSTNAME and HEADER(\"X\") of the request, HEADER(\"X\") of the response are)");
    }

    private void AddPolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.RewritePolicies.ContainsKey(name))
        {
            throw c.Error("name", $"rewrite policy '{name}' already exists");
        }

        var p = new RewritePolicy(name, c.Get<string>("rule"), c.Get<string>("action"), c.MaybeRef<string>("undefAction"), c.MaybeRef<string>("comment")) { Kept = c.Kept };
        Expressions.Check(c, "rule", p.Rule, contexts.For(b), rule: true, response: true);
        b.RewritePolicies.Add(name, p);
        DeferActions(b, c, p, bound: false);
    }

    private void SetPolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        var p = b.RewritePolicies.TryGetValue(name, out var found) ? found : throw c.Error("name", $"no rewrite policy named '{name}'");
        p = p with
        {
            Rule = c.MaybeRef<string>("rule") ?? p.Rule,
            Action = c.MaybeRef<string>("action") ?? p.Action,
            UndefAction = c.MaybeRef<string>("undefAction") ?? p.UndefAction,
            Comment = c.MaybeRef<string>("comment") ?? p.Comment,
            Kept = KeptOptions.Merge(p.Kept, c.Kept),
        };
        if (c.Has("rule"))
        {
            Expressions.Check(c, "rule", p.Rule, contexts.For(b), rule: true, response: true);
        }

        b.RewritePolicies[name] = p;
        DeferActions(b, c, p, bound: true);
    }

    /// <param name="bound">A changed policy may already be bound: its binds' direction is checked again (a new one's, by its binds).</param>
    private static void DeferActions(ConfigBuilder b, ParsedCommand c, RewritePolicy p, bool bound)
    {
        b.Defer(c, c.Has("action") ? "action" : "name", x =>
            RewritePolicy.BuiltInActions.Contains(p.Action.ToUpperInvariant()) || x.RewriteActions.ContainsKey(p.Action) ? null : $"no rewrite action named '{p.Action}'");
        if (p.UndefAction is { } undef && !RewritePolicy.BuiltInActions.Contains(undef.ToUpperInvariant()))
        {
            throw c.Error("undefAction", $"'{undef}': a rewrite policy's undefAction is NOREWRITE, RESET or DROP");
        }

        if (!bound)
        {
            return;
        }

        // The direction of its binds follows from the rule and the action: re-checked where it is bound.
        b.Defer(c, "name", x => x.PolicyBindings.Where(bb => bb.Policy == p.Name)
            .Select(bb => !RewriteTables.IsResponse(bb) && RewriteExpressions.ReadsResponse(x, x.RewritePolicies[p.Name])
                ? $"'{p.Name}' reads or changes the response but is bound to {bb.Point} on the request" : null)
            .FirstOrDefault(m => m is not null));
    }
}
