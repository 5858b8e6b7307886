using System.Collections.Concurrent;
using System.Collections.Frozen;
using Portico.Balancing;
using Portico.Listeners;
using Portico.LoadBalancing;
using Portico.Policies;
using Portico.Policies.Expressions;
using Portico.Runtime;

namespace Portico.ContentSwitching;

/// <summary>
/// Compiles the cs vservers of each runtime model (rules into delegates, once per change) and hands them to the
/// listeners. Counters are kept by name across changes, as an lb vserver's are. The last compiled set is what
/// <c>show</c> and <c>stat cs vserver</c> read.
/// </summary>
public sealed class CsListeningSource(ExpressionContexts contexts) : IListeningSource
{
    private readonly ConcurrentDictionary<string, (VserverCounters Front, CsCounters Switching)> _counters = new(StringComparer.Ordinal);
    private volatile FrozenDictionary<string, CsVserverRuntime> _current = FrozenDictionary<string, CsVserverRuntime>.Empty;

    /// <summary>The cs vservers of the model in force, by name.</summary>
    public FrozenDictionary<string, CsVserverRuntime> Current => _current;

    public IEnumerable<IListeningVserver> Of(RuntimeModel model)
    {
        var config = model.Config;
        var context = contexts.For(config);
        var actions = config.CsActions.ToDictionary(a => a.Name, StringComparer.Ordinal);
        var policies = config.CsPolicies.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var built = new Dictionary<string, CsVserverRuntime>(StringComparer.Ordinal);
        foreach (var v in config.CsVservers)
        {
            var entries = config.PolicyBindings.At(BindPoint.CsVserver(v.Name), policies.ContainsKey).Select(b =>
            {
                var policy = policies[b.Policy];
                var target = b.Target ?? actions[policy.Action!].TargetLbVserver;
                return new CsTable.Entry(b.Policy, b.Priority, ExpressionCompiler.CompileRule(policy.Rule, context), target, PolicyBinds.Next(b.Goto));
            }).ToList();
            var (front, switching) = _counters.GetOrAdd(v.Name, _ => (new VserverCounters(), new CsCounters()));
            built[v.Name] = new CsVserverRuntime(v, new CsTable(entries, v.DefaultLbVserver), switching, Front(v, front));
        }

        foreach (var gone in _counters.Keys.Where(k => !built.ContainsKey(k)))
        {
            _counters.TryRemove(gone, out _);
        }

        _current = built.ToFrozenDictionary(StringComparer.Ordinal);
        return _current.Values.OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => new CsListeningVserver(v)).ToList();
    }

    /// <summary>The engine serves a cs vserver's connections like an lb vserver's with no members of its own.</summary>
    private static VserverRuntime Front(CsVserver v, VserverCounters counters)
    {
        var config = new LbVserver(v.Name, v.Type, v.Address, v.Port, LbMethod.RoundRobin, null, PersistenceType.None, 0, v.ClientTimeout,
            null, null, v.Enabled, v.Comment, [], null, []);
        return new VserverRuntime(config, [], new RoundRobinBalancingMethod([]), counters);
    }
}
