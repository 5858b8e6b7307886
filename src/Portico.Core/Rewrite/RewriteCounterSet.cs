using Portico.Counters;
using Portico.Runtime;

namespace Portico.Rewrite;

/// <summary>Rewrite policies' hits in the catalogue (<c>/metrics</c>, <c>show ns counters</c>, the history log).</summary>
internal sealed class RewriteCounterSet(RewriteRuntime rewrite, IRuntimeSource runtime) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare() =>
        new CounterGroup<string>("rewritepolicy", "policy", () => runtime.Current.Config.RewritePolicies.Select(p => p.Name), p => p)
            .Total("hits", "{request}", "Requests or responses the rewrite policy's rule matched", p => Interlocked.Read(ref rewrite.Counters.Of(p).Hits))
            .Total("undef_hits", "{request}", "Evaluations that were UNDEF (its undefAction ran)", p => Interlocked.Read(ref rewrite.Counters.Of(p).Undefined))
            .Definitions;
}
