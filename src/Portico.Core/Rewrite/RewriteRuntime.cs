using Portico.Configuration;
using Portico.Policies;

namespace Portico.Rewrite;

/// <summary>The rewrite banks in force: compiled while the previous config serves, in force before the batch's listeners open.</summary>
public sealed class RewriteRuntime(ExpressionContexts contexts) : IConfigObserver
{
    private volatile RewriteTables _current = RewriteTables.Empty;

    public RewriteTables Current => _current;

    /// <summary>This kind's own policy hits: each kind keeps (and retains) its own names.</summary>
    public Policies.PolicyCounters Counters { get; } = new();

    public ConfigStage Stage => ConfigStage.Admission;

    public IPreparedChange Prepare(RunningConfig previous, RunningConfig next) =>
        new Change(this, RewriteTables.Compile(next, contexts.For(next), Counters), [.. next.RewritePolicies.Select(p => p.Name)]);

    private sealed class Change(RewriteRuntime owner, RewriteTables tables, string[] policies) : IPreparedChange
    {
        public IReadOnlyList<string> Commit()
        {
            owner._current = tables;
            owner.Counters.Retain(policies);
            return [];
        }
    }
}
