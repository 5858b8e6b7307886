using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Policies;

namespace Portico.Rewrite.Commands;

/// <summary><c>show rewrite action|policy</c>: the config, with who uses each object.</summary>
internal static class RewriteLists
{
    public static IQueryResult Actions(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var list = ctx.Config.RewriteActions.Where(a => name is null || a.Name == name).Select(a => new RewriteActionView(a.Name, RewriteAction.Types[a.Type],
            a.Target, a.Value, a.Search, a.Comment, [.. ctx.Config.RewritePolicies.Where(p => p.Action == a.Name).Select(p => p.Name)])).ToList();
        return name is not null && list.Count == 0 ? throw c.Error("name", $"no rewrite action named '{name}'") : new RewriteActionList(list);
    }

    public static IQueryResult Policies(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var list = ctx.Config.RewritePolicies.Where(p => name is null || p.Name == name).Select(p => new RewritePolicyView(p.Name, p.Rule, p.Action,
            p.UndefAction ?? "NOREWRITE", p.Comment,
            [.. ctx.Config.PolicyBindings.Where(b => b.Policy == p.Name).Select(b => $"{b.Point} (priority {b.Priority}{(b.Type is { } t ? ", " + t : "")})")])).ToList();
        return name is not null && list.Count == 0 ? throw c.Error("name", $"no rewrite policy named '{name}'") : new RewritePolicyList(list);
    }
}

public sealed record RewriteActionView(string Name, string Type, string Target, string? Value, string? Search, string? Comment, IReadOnlyList<string> UsedBy);

public sealed record RewriteActionList(IReadOnlyList<RewriteActionView> Actions) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Actions.Count} rewrite action(s)\n");
        foreach (var a in Actions)
        {
            sb.Append($"{a.Name}\t{a.Type}\n\tTarget: {(a.Target.Length == 0 ? "-" : a.Target)}\n\tValue: {a.Value ?? "-"}\n");
            if (a.Search is not null)
            {
                sb.Append($"\tSearch: {a.Search}\n");
            }

            sb.Append($"\tUsed by: {(a.UsedBy.Count == 0 ? "-" : string.Join(", ", a.UsedBy))}\n");
        }

        return sb.ToString();
    }
}

public sealed record RewritePolicyView(string Name, string Rule, string Action, string UndefAction, string? Comment, IReadOnlyList<string> BoundTo);

public sealed record RewritePolicyList(IReadOnlyList<RewritePolicyView> Policies) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Policies.Count} rewrite policy(ies)\n");
        foreach (var p in Policies)
        {
            sb.Append($"{p.Name}\n\tRule: {p.Rule}\n\tAction: {p.Action}\tUndef action: {p.UndefAction}\n");
            sb.Append($"\tBound to: {(p.BoundTo.Count == 0 ? "-" : string.Join(", ", p.BoundTo))}\n");
        }

        return sb.ToString();
    }
}

/// <summary><c>stat rewrite policy</c>: the live hits of each policy.</summary>
internal sealed class RewriteStats(RewriteRuntime runtime)
{
    public IQueryResult Of(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var list = ctx.Config.RewritePolicies.Where(p => name is null || p.Name == name).Select(p =>
        {
            var hits = runtime.Counters.Of(p.Name);
            return new RewritePolicyStat(p.Name, Interlocked.Read(ref hits.Hits), Interlocked.Read(ref hits.Undefined));
        }).ToList();
        return name is not null && list.Count == 0 ? throw c.Error("name", $"no rewrite policy named '{name}'") : new RewritePolicyStats(list);
    }
}

public sealed record RewritePolicyStat(string Name, long Hits, long UndefHits);

public sealed record RewritePolicyStats(IReadOnlyList<RewritePolicyStat> Policies) : IQueryResult
{
    public string ToText() => string.Concat(Policies.Select(p => $"{p.Name}\tHits: {p.Hits}\tUndef hits: {p.UndefHits}\n"));
}
