using System.Collections.Frozen;
using Portico.Configuration;
using Portico.Policies;
using Portico.Policies.Expressions;

namespace Portico.Compression;

/// <summary>
/// Compression as one config generation has it: whether CMP is on, the parameters, and the banks a response meets
/// in NetScaler's order: the global RES_OVERRIDE bank, the cs vserver's, the lb vserver's, the global RES_DEFAULT
/// bank, then the built-in policies.
/// </summary>
public sealed class CmpTables
{
    public static readonly CmpTables Off = new(false, CmpParameter.Default, null, FrozenDictionary<string, CmpBank>.Empty, null, null);

    private readonly CmpBank? _override;
    private readonly FrozenDictionary<string, CmpBank> _vservers;
    private readonly CmpBank? _default;
    private readonly CmpBank? _builtIn;

    private CmpTables(bool enabled, CmpParameter parameter, CmpBank? over, FrozenDictionary<string, CmpBank> vservers, CmpBank? fallback, CmpBank? builtIn)
    {
        Enabled = enabled;
        Parameter = parameter;
        _override = over;
        _vservers = vservers;
        _default = fallback;
        _builtIn = builtIn;
    }

    /// <summary><c>enable ns feature CMP</c> is in force: the engine's one check per request.</summary>
    public bool Enabled { get; }

    public CmpParameter Parameter { get; }

    /// <summary>The action for a response of a request that arrived at <paramref name="listener"/> and was served by <paramref name="vserver"/>; null: not compressed.</summary>
    public CmpType? Decide(IPolicyRequest exchange, string listener, string vserver)
    {
        var decided = _override?.Decide(exchange);
        if (decided is null && listener != vserver && _vservers.Count > 0 && _vservers.GetValueOrDefault(listener) is { } front)
        {
            decided = front.Decide(exchange);
        }

        if (decided is null && _vservers.Count > 0 && _vservers.GetValueOrDefault(vserver) is { } bank)
        {
            decided = bank.Decide(exchange);
        }

        return decided ?? _default?.Decide(exchange) ?? _builtIn?.Decide(exchange);
    }

    /// <summary>The policy's action: an added cmp action, or a built-in word.</summary>
    public static CmpType ActionType(string action, IReadOnlyDictionary<string, CmpAction> actions) =>
        actions.TryGetValue(action, out var a) ? a.Type
        : CmpAction.Types.TryParse(action.ToLowerInvariant(), out var t) ? t
        : CmpType.NoCompress;

    internal static CmpTables Compile(RunningConfig config, ExpressionContext context, PolicyCounters counters)
    {
        var feature = config.CmpFeature;
        if (!feature.Enabled)
        {
            return Off;
        }

        var policies = config.CmpPolicies.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var p in CmpBuiltIns.All)
        {
            policies.TryAdd(p.Name, p);
        }

        var actions = config.CmpActions.ToDictionary(a => a.Name, StringComparer.Ordinal);
        CmpBank? Build(IEnumerable<(string Policy, long Priority)> bound)
        {
            var entries = bound.OrderBy(b => b.Priority).Select(b =>
            {
                var p = policies[b.Policy];
                return new CmpBank.Entry(p.Name, b.Priority, ExpressionCompiler.CompileRule(p.Rule, context), ActionType(p.ResAction, actions), counters.Of(p.Name));
            }).ToArray();
            return entries.Length == 0 ? null : new CmpBank(entries);
        }

        var mine = config.PolicyBindings.Where(b => policies.ContainsKey(b.Policy) && (b.Point.IsGlobal ? b.Point.Kind == "cmp global" : true)).ToList();
        var global = mine.Where(b => b.Point.IsGlobal).ToList();
        var over = Build(global.Where(b => string.Equals(b.Type, "RES_OVERRIDE", StringComparison.OrdinalIgnoreCase)).Select(b => (b.Policy, b.Priority)));
        var fallback = Build(global.Where(b => !string.Equals(b.Type, "RES_OVERRIDE", StringComparison.OrdinalIgnoreCase)).Select(b => (b.Policy, b.Priority)));
        var vservers = mine.Where(b => !b.Point.IsGlobal).GroupBy(b => b.Point.Name!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => Build(g.Select(b => (b.Policy, b.Priority)))!, StringComparer.Ordinal);
        var builtIn = Build(CmpBuiltIns.Policies.Select(b => (b.Policy.Name, b.Priority)));
        return new CmpTables(true, config.CmpParameter, over, vservers, fallback, builtIn);
    }
}
