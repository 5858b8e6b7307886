using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Policies;
using Portico.Policies.Commands;
using Portico.Policies.Expressions;

namespace Portico.Responder.Commands;

/// <summary>
/// <c>add|set|rm|show responder action</c>, <c>add|set|rm|show|stat responder policy</c>, <c>bind|unbind responder
/// global</c>, <c>import|rm|show responder htmlpage</c>. Policies bind to lb and cs vservers with their own bind
/// commands (<c>-policyName P -priority N -type REQUEST</c>).
/// </summary>
internal sealed class ResponderCommands(ExpressionContexts contexts, PolicyBinds binds) : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Sections.Add(ResponderSections.Pages, ConfigRank.Policies + 40, ResponderLines.Pages);
        r.Sections.Add(ResponderSections.Actions, ConfigRank.Policies + 41, ResponderLines.Actions);
        r.Sections.Add(ResponderSections.Policies, ConfigRank.Policies + 42, ResponderLines.Policies);

        r.Mutation("add", "responder action", "Adds a responder action: a redirect, a response, or an HTML page Portico answers with itself")
            .Positional("name", Values.Name, "the action's name")
            .Positional("type", ResponderAction.Types.Parser, "redirect, respondwith, respondwithhtmlpage or noop")
            .Positional("target", Values.Text, "an expression: the redirect's URL or the response", required: false)
            .Option("htmlpage", Values.Name, "respondwithhtmlpage: an imported page")
            .Option("responseStatusCode", Values.Int(100, 599), "the status (redirect: 302, else 200)")
            .Option("reasonPhrase", Values.Text, "the status line's words")
            .Option("comment", Values.Text, "free text")
            .Keeps("bypassSafetyCheck", "headers")
            .Applies(AddAction);

        r.Mutation("set", "responder action", "Changes a responder action; its policies answer with it at once")
            .Positional("name", Values.Name, "the action's name")
            .Option("target", Values.Text, "an expression")
            .Option("htmlpage", Values.Name, "an imported page")
            .Option("responseStatusCode", Values.Int(100, 599), "the status")
            .Option("reasonPhrase", Values.Text, "the status line's words")
            .Option("comment", Values.Text, "free text")
            .Keeps("bypassSafetyCheck", "headers")
            .Applies(SetAction);

        r.Mutation("rm", "responder action", "Removes a responder action no policy uses")
            .Positional("name", Values.Name, "the action's name")
            .Applies(RemoveAction);

        r.Query("show", "responder action", "Lists responder actions with their type, target and users")
            .Positional("name", Values.Name, "an action's name", required: false)
            .Runs(ResponderLists.Actions);

        r.Mutation("add", "responder policy", "Adds a responder policy: a rule and the action taken when it matches")
            .Positional("name", Values.Name, "the policy's name")
            .Positional("rule", Values.Text, "a boolean expression on the request")
            .Positional("action", Values.Name, "an added action, or NOOP, DROP, RESET")
            .Positional("undefAction", Values.Name, "when the rule cannot be evaluated: NOOP (default), DROP, RESET or an action", required: false)
            .Option("comment", Values.Text, "free text")
            .Keeps("logAction", "appflowAction")
            .Applies(AddPolicy);

        r.Mutation("set", "responder policy", "Changes a responder policy; bound vservers follow at once")
            .Positional("name", Values.Name, "the policy's name")
            .Option("rule", Values.Text, "a boolean expression")
            .Option("action", Values.Name, "an action")
            .Option("undefAction", Values.Name, "NOOP, DROP, RESET or an action")
            .Option("comment", Values.Text, "free text")
            .Keeps("logAction", "appflowAction")
            .Applies(SetPolicy);

        r.Mutation("rm", "responder policy", "Removes a responder policy that is not bound")
            .Positional("name", Values.Name, "the policy's name")
            .Applies(RemovePolicy);

        r.Query("show", "responder policy", "Lists responder policies with rule, action and where they are bound")
            .Positional("name", Values.Name, "a policy's name", required: false)
            .Runs(ResponderLists.Policies);

        r.Query("stat", "responder policy", "Shows the hits and UNDEF evaluations of each responder policy")
            .Positional("name", Values.Name, "a policy's name", required: false)
            .Runs<ResponderStats>(s => s.Of);

        r.Mutation("bind", "responder global", "Binds a responder policy globally: REQ_OVERRIDE before the vservers', REQ_DEFAULT after")
            .Positional("policyName", Values.Name, "a responder policy")
            .Positional("priority", Values.Int(1, 2_147_483_647), "lower is evaluated first")
            .Positional("gotoPriorityExpression", PolicyValues.Goto, "END (default), NEXT or a priority", required: false)
            .Option("type", PolicyValues.Words("REQ_OVERRIDE", "REQ_DEFAULT", "OVERRIDE", "DEFAULT"), "the bank (default REQ_DEFAULT)")
            .Keeps("invoke", "labelType", "labelName")
            .Applies((b, c) => binds.Bind(b, c, new PolicyBinding(BindPoint.Global("responder"), c.Get<string>("policyName"), c.Get<long>("priority"),
                c.MaybeRef<string>("gotoPriorityExpression"), c.MaybeRef<string>("type"), null) { Kept = c.Kept }));

        r.Mutation("unbind", "responder global", "Unbinds a global responder policy")
            .Positional("policyName", Values.Name, "a bound responder policy")
            .Option("type", PolicyValues.Words("REQ_OVERRIDE", "REQ_DEFAULT", "OVERRIDE", "DEFAULT"), "the bank")
            .Keeps("priority")
            .Applies((b, c) => PolicyBinds.Unbind(b, c, BindPoint.Global("responder"), c.Get<string>("policyName"), c.MaybeRef<string>("type")));

        r.Mutation("import", "responder htmlpage", "Imports an HTML page for respondwithhtmlpage actions from a file on this host")
            .Positional("src", Values.Text, "the page's file (a path, or local:FILE in the config's folder)")
            .Positional("name", Values.Name, "the page's name")
            .Option("comment", Values.Text, "free text")
            .Option("overwrite", Values.Flag, "replace a page of that name")
            .Keeps("cacertfile")
            .Applies(ImportPage);

        r.Mutation("rm", "responder htmlpage", "Removes an imported page no action uses")
            .Positional("name", Values.Name, "the page's name")
            .Applies(RemovePage);

        r.Query("show", "responder htmlpage", "Lists imported pages with their source and size")
            .Positional("name", Values.Name, "a page's name", required: false)
            .Runs(ResponderLists.Pages);
    }

    private void AddAction(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.ResponderActions.ContainsKey(name) || ResponderPolicy.BuiltInActions.Contains(name.ToUpperInvariant()))
        {
            throw c.Error("name", $"responder action '{name}' already exists");
        }

        var a = new ResponderAction(name, c.Get<ResponderActionType>("type"), c.MaybeRef<string>("target"), c.MaybeRef<string>("htmlpage"),
            (int?)c.Maybe<long>("responseStatusCode"), c.MaybeRef<string>("reasonPhrase"), c.MaybeRef<string>("comment")) { Kept = c.Kept };
        b.ResponderActions.Add(name, Check(b, c, a, "target"));
    }

    private void SetAction(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        var a = b.ResponderActions.TryGetValue(name, out var found) ? found : throw c.Error("name", $"no responder action named '{name}'");
        a = a with
        {
            Target = c.MaybeRef<string>("target") ?? a.Target,
            HtmlPage = c.MaybeRef<string>("htmlpage") ?? a.HtmlPage,
            StatusCode = (int?)c.Maybe<long>("responseStatusCode") ?? a.StatusCode,
            ReasonPhrase = c.MaybeRef<string>("reasonPhrase") ?? a.ReasonPhrase,
            Comment = c.MaybeRef<string>("comment") ?? a.Comment,
            Kept = KeptOptions.Merge(a.Kept, c.Kept),
        };
        b.ResponderActions[name] = Check(b, c, a, c.Has("target") ? "target" : "name");
    }

    /// <summary>The action's target compiles, and each type has what it needs.</summary>
    private ResponderAction Check(ConfigBuilder b, ParsedCommand c, ResponderAction a, string targetParameter)
    {
        switch (a.Type)
        {
            case ResponderActionType.Redirect or ResponderActionType.RespondWith:
                if (a.Target is null)
                {
                    throw c.Error("type", $"a {ResponderAction.Types[a.Type]} action needs a target expression: add responder action {a.Name} {ResponderAction.Types[a.Type]} \"...\"");
                }

                Expressions.Check(c, targetParameter, a.Target, contexts.For(b), rule: false);
                break;
            case ResponderActionType.RespondWithHtmlPage:
                var page = a.HtmlPage ?? throw c.Error("type", "a respondwithhtmlpage action needs -htmlpage NAME (import responder htmlpage first)");
                b.Defer(c, c.Has("htmlpage") ? "htmlpage" : "name", x => x.ResponderPages.ContainsKey(page) ? null : $"no responder htmlpage named '{page}'");
                break;
        }

        if (a.Type == ResponderActionType.Redirect && a.StatusCode is { } code && code is < 300 or > 399)
        {
            throw c.Error("responseStatusCode", $"a redirect's status is 3xx, not {code}");
        }

        return a;
    }

    private static void RemoveAction(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (!b.ResponderActions.ContainsKey(name))
        {
            throw c.Error("name", $"no responder action named '{name}'");
        }

        if (b.ResponderPolicies.Values.FirstOrDefault(p => p.Action == name || p.UndefAction == name) is { } user)
        {
            throw c.Error("name", $"'{name}' is used by responder policy '{user.Name}'; remove or change the policy first");
        }

        b.ResponderActions.Remove(name);
    }

    private void AddPolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.ResponderPolicies.ContainsKey(name))
        {
            throw c.Error("name", $"responder policy '{name}' already exists");
        }

        var p = new ResponderPolicy(name, c.Get<string>("rule"), c.Get<string>("action"), c.MaybeRef<string>("undefAction"), c.MaybeRef<string>("comment"))
        {
            Kept = c.Kept,
        };
        Expressions.Check(c, "rule", p.Rule, contexts.For(b), rule: true);
        b.ResponderPolicies.Add(name, p);
        DeferActions(b, c, p);
    }

    private void SetPolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        var p = b.ResponderPolicies.TryGetValue(name, out var found) ? found : throw c.Error("name", $"no responder policy named '{name}'");
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
            Expressions.Check(c, "rule", p.Rule, contexts.For(b), rule: true);
        }

        b.ResponderPolicies[name] = p;
        DeferActions(b, c, p);
    }

    private static void DeferActions(ConfigBuilder b, ParsedCommand c, ResponderPolicy p)
    {
        static string? Problem(ConfigBuilder x, string action) =>
            ResponderPolicy.BuiltInActions.Contains(action.ToUpperInvariant()) || x.ResponderActions.ContainsKey(action) ? null : $"no responder action named '{action}'";

        b.Defer(c, c.Has("action") ? "action" : "name", x => Problem(x, p.Action));
        if (p.UndefAction is { } undef)
        {
            b.Defer(c, c.Has("undefAction") ? "undefAction" : "name", x => Problem(x, undef));
        }
    }

    private static void RemovePolicy(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (!b.ResponderPolicies.ContainsKey(name))
        {
            throw c.Error("name", $"no responder policy named '{name}'");
        }

        if (PolicyBinds.BoundAt(b, name) is { } point)
        {
            throw c.Error("name", $"'{name}' is bound to {point}; unbind it first");
        }

        b.ResponderPolicies.Remove(name);
    }

    private static void ImportPage(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.ResponderPages.ContainsKey(name) && !c.Has("overwrite"))
        {
            throw c.Error("name", $"responder htmlpage '{name}' already exists (add -overwrite to replace it)");
        }

        var source = c.Get<string>("src");
        if (source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedCommandException("importing a page from a URL is not supported by Portico: copy the file to this host and give its path");
        }

        var path = source.StartsWith("local:", StringComparison.OrdinalIgnoreCase) ? source["local:".Length..] : source;
        string content;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxPageBytes)
            {
                throw c.Error("src", $"{path} is {info.Length} bytes; a responder page is at most {MaxPageBytes}");
            }

            content = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw c.Error("src", $"cannot read {path}: {e.Message}");
        }

        b.ResponderPages[name] = new ResponderHtmlPage(name, source, content, c.MaybeRef<string>("comment"));
    }

    /// <summary>NetScaler's own limit for an imported page.</summary>
    public const int MaxPageBytes = 512 * 1024;

    private static void RemovePage(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (!b.ResponderPages.ContainsKey(name))
        {
            throw c.Error("name", $"no responder htmlpage named '{name}'");
        }

        if (b.ResponderActions.Values.FirstOrDefault(a => a.HtmlPage == name) is { } user)
        {
            throw c.Error("name", $"'{name}' is the page of responder action '{user.Name}'");
        }

        b.ResponderPages.Remove(name);
    }
}
