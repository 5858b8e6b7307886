using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Policies;

namespace Portico.Responder.Commands;

/// <summary><c>show responder action|policy|htmlpage</c>: the config, with who uses each object.</summary>
internal static class ResponderLists
{
    public static IQueryResult Actions(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var list = ctx.Config.ResponderActions.Where(a => name is null || a.Name == name).Select(a => new ResponderActionView(a.Name, ResponderAction.Types[a.Type],
            a.Target ?? (a.HtmlPage is { } p ? $"htmlpage {p}" : "-"), a.StatusCode, a.Comment,
            [.. ctx.Config.ResponderPolicies.Where(p => p.Action == a.Name || p.UndefAction == a.Name).Select(p => p.Name)])).ToList();
        return name is not null && list.Count == 0 ? throw c.Error("name", $"no responder action named '{name}'") : new ResponderActionList(list);
    }

    public static IQueryResult Policies(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var list = ctx.Config.ResponderPolicies.Where(p => name is null || p.Name == name).Select(p => new ResponderPolicyView(p.Name, p.Rule, p.Action,
            p.UndefAction ?? "NOOP", p.Comment, [.. ctx.Config.PolicyBindings.Where(b => b.Policy == p.Name).Select(Where)])).ToList();
        return name is not null && list.Count == 0 ? throw c.Error("name", $"no responder policy named '{name}'") : new ResponderPolicyList(list);
    }

    public static IQueryResult Pages(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var list = ctx.Config.ResponderPages.Where(p => name is null || p.Name == name)
            .Select(p => new ResponderPageView(p.Name, p.Source, System.Text.Encoding.UTF8.GetByteCount(p.Content), p.Comment)).ToList();
        return name is not null && list.Count == 0 ? throw c.Error("name", $"no responder htmlpage named '{name}'") : new ResponderPageList(list);
    }

    private static string Where(PolicyBinding b) => $"{b.Point} (priority {b.Priority}{(b.Type is { } t ? ", " + t : "")})";
}

public sealed record ResponderActionView(string Name, string Type, string Target, int? StatusCode, string? Comment, IReadOnlyList<string> UsedBy);

public sealed record ResponderActionList(IReadOnlyList<ResponderActionView> Actions) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Actions.Count} responder action(s)\n");
        foreach (var a in Actions)
        {
            sb.Append($"{a.Name}\t{a.Type}\n\tTarget: {a.Target}\n");
            if (a.StatusCode is { } s)
            {
                sb.Append($"\tStatus: {s}\n");
            }

            sb.Append($"\tUsed by: {(a.UsedBy.Count == 0 ? "-" : string.Join(", ", a.UsedBy))}\n");
        }

        return sb.ToString();
    }
}

public sealed record ResponderPolicyView(string Name, string Rule, string Action, string UndefAction, string? Comment, IReadOnlyList<string> BoundTo);

public sealed record ResponderPolicyList(IReadOnlyList<ResponderPolicyView> Policies) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Policies.Count} responder policy(ies)\n");
        foreach (var p in Policies)
        {
            sb.Append($"{p.Name}\n\tRule: {p.Rule}\n\tAction: {p.Action}\tUndef action: {p.UndefAction}\n");
            sb.Append($"\tBound to: {(p.BoundTo.Count == 0 ? "-" : string.Join(", ", p.BoundTo))}\n");
        }

        return sb.ToString();
    }
}

public sealed record ResponderPageView(string Name, string Source, int Bytes, string? Comment);

public sealed record ResponderPageList(IReadOnlyList<ResponderPageView> Pages) : IQueryResult
{
    public string ToText() => $"{Pages.Count} responder htmlpage(s)\n" + string.Concat(Pages.Select(p => $"{p.Name}\t{p.Bytes} bytes\tfrom {p.Source}\n"));
}
