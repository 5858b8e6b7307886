using System.Globalization;
using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Policies;

namespace Portico.Compression.Commands;

/// <summary><c>show cmp parameter|action|policy</c>: the config, with who uses each object.</summary>
internal static class CmpLists
{
    public static IQueryResult Parameter(CommandContext ctx, ParsedCommand c)
    {
        var p = ctx.Config.CmpParameter;
        return new CmpParameterView(ctx.Config.CmpFeature.Enabled, CmpParameter.Levels[p.Level], p.MinResSize, p.BypassPct, p.AddVaryHeader,
            CmpLevels.Zlib(p.Level), CmpLevels.Brotli(p.Level), CmpLevels.Zstd(p.Level));
    }

    public static IQueryResult Actions(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var list = ctx.Config.CmpActions.Where(a => name is null || a.Name == name).Select(a => new CmpActionView(a.Name, CmpAction.Types[a.Type], a.DeltaType, a.Comment,
            [.. ctx.Config.CmpPolicies.Where(p => p.ResAction == a.Name).Select(p => p.Name)])).ToList();
        return name is not null && list.Count == 0 ? throw c.Error("name", $"no cmp action named '{name}'") : new CmpActionList(list);
    }

    public static IQueryResult Policies(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var all = ctx.Config.CmpPolicies.Select(p => (p, BuiltIn: false)).Concat(CmpBuiltIns.All.Select(p => (p, BuiltIn: true)));
        var list = all.Where(x => name is null || x.p.Name == name).Select(x => new CmpPolicyView(x.p.Name, x.p.Rule, x.p.ResAction, x.BuiltIn, x.p.Comment,
            [.. ctx.Config.PolicyBindings.Where(b => b.Policy == x.p.Name).Select(Where)])).ToList();
        return name is not null && list.Count == 0 ? throw c.Error("name", $"no cmp policy named '{name}'") : new CmpPolicyList(list);
    }

    private static string Where(PolicyBinding b) => $"{b.Point} (priority {b.Priority}{(b.Type is { } t ? ", " + t : "")})";
}

public sealed record CmpParameterView(bool Enabled, string Level, long MinResSize, int BypassPct, bool AddVaryHeader, int ZlibLevel, int BrotliQuality, int ZstdLevel)
    : IQueryResult
{
    public string ToText() => string.Create(CultureInfo.InvariantCulture,
        $"Compression (CMP): {(Enabled ? "ENABLED" : "DISABLED (enable ns feature CMP)")}\n\tLevel: {Level} (gzip/deflate {ZlibLevel}, br {BrotliQuality}, zstd {ZstdLevel})\n"
        + $"\tMin response size: {MinResSize}\n\tBypass above CPU: {BypassPct}%\n\tAdd Vary header: {(AddVaryHeader ? "YES" : "NO")}\n");
}

public sealed record CmpActionView(string Name, string Type, string? DeltaType, string? Comment, IReadOnlyList<string> UsedBy);

public sealed record CmpActionList(IReadOnlyList<CmpActionView> Actions) : IQueryResult
{
    public string ToText() => $"{Actions.Count} cmp action(s)\n"
        + string.Concat(Actions.Select(a => $"{a.Name}\t{a.Type}{(a.DeltaType is { } d ? $"\tdeltaType {d} (kept)" : "")}\n\tUsed by: {(a.UsedBy.Count == 0 ? "-" : string.Join(", ", a.UsedBy))}\n"));
}

public sealed record CmpPolicyView(string Name, string Rule, string ResAction, bool BuiltIn, string? Comment, IReadOnlyList<string> BoundTo);

public sealed record CmpPolicyList(IReadOnlyList<CmpPolicyView> Policies) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Policies.Count} cmp policy(ies)\n");
        foreach (var p in Policies)
        {
            sb.Append($"{p.Name}{(p.BuiltIn ? " (built-in)" : "")}\n\tRule: {p.Rule}\n\tResponse action: {p.ResAction}\n");
            sb.Append($"\tBound to: {(p.BoundTo.Count == 0 ? p.BuiltIn ? "in force after every bound bank" : "-" : string.Join(", ", p.BoundTo))}\n");
        }

        return sb.ToString();
    }
}
