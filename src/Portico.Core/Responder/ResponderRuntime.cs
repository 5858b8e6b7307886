using Portico.Configuration;
using Portico.Policies;

namespace Portico.Responder;

/// <summary>
/// The responder in force: compiled while the previous config still serves, in force before the batch's listeners
/// open (the admission stage), read once per request by the data path.
/// </summary>
public sealed class ResponderRuntime(ExpressionContexts contexts) : IConfigObserver
{
    private volatile ResponderTables _current = ResponderTables.Empty;

    public ResponderTables Current => _current;

    /// <summary>This kind's own policy hits: each kind keeps (and retains) its own names.</summary>
    public Policies.PolicyCounters Counters { get; } = new();

    public ConfigStage Stage => ConfigStage.Admission;

    public IPreparedChange Prepare(RunningConfig previous, RunningConfig next) =>
        new Change(this, ResponderTables.Compile(next, contexts.For(next), Counters), [.. next.ResponderPolicies.Select(p => p.Name)]);

    private sealed class Change(ResponderRuntime owner, ResponderTables tables, string[] policies) : IPreparedChange
    {
        public IReadOnlyList<string> Commit()
        {
            owner._current = tables;
            owner.Counters.Retain(policies);
            return [];
        }
    }
}
