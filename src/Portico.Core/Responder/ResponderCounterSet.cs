using Portico.Counters;
using Portico.Runtime;

namespace Portico.Responder;

/// <summary>Responder policies' hits in the catalogue (<c>/metrics</c>, <c>show ns counters</c>, the history log).</summary>
internal sealed class ResponderCounterSet(ResponderRuntime responder, IRuntimeSource runtime) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare() =>
        new CounterGroup<string>("responderpolicy", "policy", () => runtime.Current.Config.ResponderPolicies.Select(p => p.Name), p => p)
            .Total("hits", "{request}", "Requests the responder policy's rule matched", p => Interlocked.Read(ref responder.Counters.Of(p).Hits))
            .Total("undef_hits", "{request}", "Requests for which the rule or its action's target was UNDEF (its undefAction ran)",
                p => Interlocked.Read(ref responder.Counters.Of(p).Undefined))
            .Definitions;
}
