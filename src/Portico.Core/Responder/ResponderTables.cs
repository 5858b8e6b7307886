using System.Collections.Frozen;
using Portico.Configuration;
using Portico.Policies;
using Portico.Policies.Expressions;

namespace Portico.Responder;

/// <summary>
/// Every responder bank of one config generation: the global override bank, each vserver's, the global default
/// bank. A request meets them in NetScaler's order: override, its vserver (the cs vserver, then the lb vserver it
/// switched to), default.
/// </summary>
public sealed class ResponderTables
{
    public static readonly ResponderTables Empty = new(null, FrozenDictionary<string, ResponderBank>.Empty, null);

    private readonly ResponderBank? _override;
    private readonly FrozenDictionary<string, ResponderBank> _vservers;
    private readonly ResponderBank? _default;

    private ResponderTables(ResponderBank? over, FrozenDictionary<string, ResponderBank> vservers, ResponderBank? fallback)
    {
        _override = over;
        _vservers = vservers;
        _default = fallback;
    }

    /// <summary>No responder policy is bound anywhere: the data path skips the responder altogether.</summary>
    public bool IsEmpty => _override is null && _default is null && _vservers.Count == 0;

    /// <summary>
    /// The decision for a request as it arrives at <paramref name="vserver"/> (the vserver the client connected to):
    /// the override bank, then the vserver's; the default bank too when <paramref name="last"/> (no lb vserver follows).
    /// </summary>
    public ResponderDecision Arrive(IPolicyRequest request, string vserver, bool last) =>
        _override?.Decide(request) ?? Bank(vserver)?.Decide(request) ?? (last ? _default?.Decide(request) : null) ?? ResponderDecision.Continue;

    /// <summary>The decision at the lb vserver a cs vserver switched to: its bank, then the default bank.</summary>
    public ResponderDecision Switched(IPolicyRequest request, string vserver) =>
        Bank(vserver)?.Decide(request) ?? _default?.Decide(request) ?? ResponderDecision.Continue;

    private ResponderBank? Bank(string vserver) => _vservers.Count == 0 ? null : _vservers.GetValueOrDefault(vserver);

    /// <summary>Compiles the responder of <paramref name="config"/>; the expressions were checked when their lines were applied.</summary>
    internal static ResponderTables Compile(RunningConfig config, ExpressionContext context, Policies.PolicyCounters counters)
    {
        var policies = config.ResponderPolicies.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var actions = config.ResponderActions.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var pages = config.ResponderPages.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var mine = config.PolicyBindings.Where(b => policies.ContainsKey(b.Policy)).ToList();
        if (mine.Count == 0)
        {
            return Empty;
        }

        ResponderBank? Build(IEnumerable<PolicyBinding> bindings)
        {
            var entries = bindings.OrderBy(b => b.Priority).Select(b =>
            {
                var p = policies[b.Policy];
                return new ResponderBank.Entry(p.Name, b.Priority, ExpressionCompiler.CompileRule(p.Rule, context),
                    CompiledAction.Of(p.Action, actions, pages, context), CompiledAction.Of(p.UndefAction ?? "NOOP", actions, pages, context),
                    PolicyBinds.Next(b.Goto), counters.Of(p.Name));
            }).ToArray();
            return entries.Length == 0 ? null : new ResponderBank(entries);
        }

        var global = mine.Where(b => b.Point.IsGlobal).ToList();
        var over = Build(global.Where(b => b.Type?.ToUpperInvariant() is "REQ_OVERRIDE" or "OVERRIDE"));
        var fallback = Build(global.Where(b => b.Type?.ToUpperInvariant() is null or "REQ_DEFAULT" or "DEFAULT"));
        var vservers = mine.Where(b => !b.Point.IsGlobal).GroupBy(b => b.Point.Name!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => Build(g)!, StringComparer.Ordinal);
        return new ResponderTables(over, vservers, fallback);
    }
}
