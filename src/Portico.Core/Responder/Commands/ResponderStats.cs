using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Responder.Commands;

/// <summary><c>stat responder policy</c>: the live hits of each policy.</summary>
internal sealed class ResponderStats(ResponderRuntime runtime)
{
    public IQueryResult Of(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var list = ctx.Config.ResponderPolicies.Where(p => name is null || p.Name == name).Select(p =>
        {
            var hits = runtime.Counters.Of(p.Name);
            return new ResponderPolicyStat(p.Name, Interlocked.Read(ref hits.Hits), Interlocked.Read(ref hits.Undefined));
        }).ToList();
        return name is not null && list.Count == 0 ? throw c.Error("name", $"no responder policy named '{name}'") : new ResponderPolicyStats(list);
    }
}

public sealed record ResponderPolicyStat(string Name, long Hits, long UndefHits);

public sealed record ResponderPolicyStats(IReadOnlyList<ResponderPolicyStat> Policies) : IQueryResult
{
    public string ToText() => string.Concat(Policies.Select(p => $"{p.Name}\tHits: {p.Hits}\tUndef hits: {p.UndefHits}\n"));
}
