using System.Collections.Frozen;
using Portico.Configuration;
using Portico.Policies;
using Portico.Policies.Expressions;

namespace Portico.Caching;

/// <summary>
/// Every cache policy bank of one config generation, and the content groups they store in. A request meets the
/// request banks in NetScaler's order (REQ_OVERRIDE, the vservers', REQ_DEFAULT), a response the response banks.
/// </summary>
public sealed class CacheTables
{
    public static readonly CacheTables Empty = new(null, null, FrozenDictionary<string, Side>.Empty, FrozenDictionary<string, CacheGroupSettings>.Empty, false);

    private readonly Side? _global;
    private readonly Side? _globalDefault;
    private readonly FrozenDictionary<string, Side> _vservers;

    private CacheTables(Side? global, Side? globalDefault, FrozenDictionary<string, Side> vservers, FrozenDictionary<string, CacheGroupSettings> groups, bool any)
    {
        _global = global;
        _globalDefault = globalDefault;
        _vservers = vservers;
        Groups = groups;
        IsEmpty = !any;
        AnyGlobal = global is not null || globalDefault is not null;
    }

    /// <summary>No cache policy is bound anywhere: the engine never looks at the cache.</summary>
    public bool IsEmpty { get; }

    private bool AnyGlobal { get; }

    public FrozenDictionary<string, CacheGroupSettings> Groups { get; }

    /// <summary>
    /// Whether a request that arrived at <paramref name="arrived"/> (a cs vserver, or the lb vserver itself) and is
    /// balanced by <paramref name="vserver"/> uses the cache: a cache policy is bound to either, or globally.
    /// </summary>
    public bool Serves(string arrived, string vserver) => AnyGlobal || (_vservers.Count > 0 && (_vservers.ContainsKey(arrived) || _vservers.ContainsKey(vserver)));

    /// <summary>The request-time decision; null when no policy matched.</summary>
    public CacheDecision? Request(IPolicyRequest request, string arrived, string vserver) =>
        _global?.Request?.Decide(request) ?? Bank(arrived)?.Request?.Decide(request)
        ?? (arrived != vserver ? Bank(vserver)?.Request?.Decide(request) : null) ?? _globalDefault?.Request?.Decide(request);

    /// <summary>The response-time decision; null when no policy matched.</summary>
    public CacheDecision? Response(IPolicyRequest request, string arrived, string vserver) =>
        _global?.Response?.Decide(request) ?? Bank(arrived)?.Response?.Decide(request)
        ?? (arrived != vserver ? Bank(vserver)?.Response?.Decide(request) : null) ?? _globalDefault?.Response?.Decide(request);

    private Side? Bank(string vserver) => _vservers.Count == 0 ? null : _vservers.GetValueOrDefault(vserver);

    public static bool IsResponse(PolicyBinding b) => b.Type?.ToUpperInvariant() is "RESPONSE" or "RES_OVERRIDE" or "RES_DEFAULT";

    internal sealed record Side(CacheBank? Request, CacheBank? Response);

    internal static CacheTables Compile(RunningConfig config, ExpressionContext context, PolicyCounters counters)
    {
        var groups = config.AllCacheGroups.ToFrozenDictionary(g => g.Name, g => new CacheGroupSettings(g, config.CacheParameters), StringComparer.Ordinal);
        var policies = config.CachePolicies.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var mine = config.PolicyBindings.Where(b => policies.ContainsKey(b.Policy)).ToList();
        if (mine.Count == 0)
        {
            return new CacheTables(null, null, FrozenDictionary<string, Side>.Empty, groups, false);
        }

        static CacheDecision Decision(CachePolicy p, CacheAction action) =>
            new(p.Name, action, p.StoreInGroup ?? "DEFAULT", p.InvalGroups, p.InvalObjects);

        CacheBank? Build(IEnumerable<PolicyBinding> bindings)
        {
            var entries = bindings.OrderBy(b => b.Priority).Select(b =>
            {
                var p = policies[b.Policy];
                return new CacheBank.Entry(b.Priority, ExpressionCompiler.CompileRule(p.Rule, context), Decision(p, p.Action),
                    p.UndefAction is { } u ? Decision(p, u) : null, PolicyBinds.Next(b.Goto), counters.Of(p.Name));
            }).ToArray();
            return entries.Length == 0 ? null : new CacheBank(entries);
        }

        Side? Sides(IEnumerable<PolicyBinding> bindings)
        {
            var list = bindings.ToList();
            return list.Count == 0 ? null : new Side(Build(list.Where(b => !IsResponse(b))), Build(list.Where(IsResponse)));
        }

        var global = mine.Where(b => b.Point.IsGlobal).ToList();
        var over = Sides(global.Where(b => b.Type?.ToUpperInvariant() is "REQ_OVERRIDE" or "RES_OVERRIDE"));
        var fallback = Sides(global.Where(b => b.Type?.ToUpperInvariant() is null or "REQ_DEFAULT" or "RES_DEFAULT"));
        var vservers = mine.Where(b => !b.Point.IsGlobal).GroupBy(b => b.Point.Name!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => Sides(g)!, StringComparer.Ordinal);
        return new CacheTables(over, fallback, vservers, groups, true);
    }
}
