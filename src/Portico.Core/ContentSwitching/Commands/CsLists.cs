using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Policies;

namespace Portico.ContentSwitching.Commands;

/// <summary><c>show cs action</c> and <c>show cs policy</c>: the config, with who uses each object.</summary>
internal static class CsLists
{
    public static IQueryResult Actions(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var list = ctx.Config.CsActions.Where(a => name is null || a.Name == name)
            .Select(a => new CsActionView(a.Name, a.TargetLbVserver, a.Comment, [.. ctx.Config.CsPolicies.Where(p => p.Action == a.Name).Select(p => p.Name)]))
            .ToList();
        return name is not null && list.Count == 0 ? throw c.Error("name", $"no cs action named '{name}'") : new CsActionList(list);
    }

    public static IQueryResult Policies(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("policyName");
        var list = ctx.Config.CsPolicies.Where(p => name is null || p.Name == name)
            .Select(p => new CsPolicyView(p.Name, p.Rule, p.Action, p.Comment,
                [.. ctx.Config.PolicyBindings.Where(b => b.Policy == p.Name).Select(b => $"{b.Point.Name} (priority {b.Priority})")]))
            .ToList();
        return name is not null && list.Count == 0 ? throw c.Error("policyName", $"no cs policy named '{name}'") : new CsPolicyList(list);
    }
}

public sealed record CsActionView(string Name, string TargetLbVserver, string? Comment, IReadOnlyList<string> UsedBy);

public sealed record CsActionList(IReadOnlyList<CsActionView> Actions) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Actions.Count} cs action(s)\n");
        foreach (var a in Actions)
        {
            sb.Append($"{a.Name}\n\tTarget LB vserver: {a.TargetLbVserver}\n\tUsed by: {(a.UsedBy.Count == 0 ? "-" : string.Join(", ", a.UsedBy))}\n");
            if (a.Comment is not null)
            {
                sb.Append($"\tComment: {a.Comment}\n");
            }
        }

        return sb.ToString();
    }
}

public sealed record CsPolicyView(string Name, string Rule, string? Action, string? Comment, IReadOnlyList<string> BoundTo);

public sealed record CsPolicyList(IReadOnlyList<CsPolicyView> Policies) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Policies.Count} cs policy(ies)\n");
        foreach (var p in Policies)
        {
            sb.Append($"{p.Name}\n\tRule: {p.Rule}\n\tAction: {p.Action ?? "-"}\n\tBound to: {(p.BoundTo.Count == 0 ? "-" : string.Join(", ", p.BoundTo))}\n");
            if (p.Comment is not null)
            {
                sb.Append($"\tComment: {p.Comment}\n");
            }
        }

        return sb.ToString();
    }
}
