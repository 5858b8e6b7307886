using Portico.Policies.Expressions;

namespace Portico.Responder;

/// <summary>
/// The responder policies of one bind point, in priority order. The first matching policy whose action answers
/// decides; a NOOP follows its goto (END ends the bank, NEXT or a priority goes on).
/// </summary>
internal sealed class ResponderBank(ResponderBank.Entry[] entries)
{
    public sealed record Entry(string Policy, long Priority, CompiledExpression Rule, CompiledAction Action, CompiledAction Undefined, long? Next,
        Policies.PolicyCounters.PolicyHits Hits);

    public IReadOnlyList<Entry> Entries => entries;

    public ResponderDecision? Decide(IPolicyRequest request)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            ResponderDecision? decision;
            try
            {
                if (!e.Rule.Matches(request))
                {
                    continue;
                }

                Interlocked.Increment(ref e.Hits.Hits);
                decision = e.Action.Run(request);
            }
            catch (UndefinedValueException)
            {
                // The rule, or the action's target, cannot be evaluated for this request: the policy's undefAction.
                Interlocked.Increment(ref e.Hits.Undefined);
                decision = e.Undefined.Run(request);
            }

            if (decision is not null)
            {
                return decision;
            }

            i = Policies.Goto.After<Entry>(entries, i, e.Next, static x => x.Priority);
            if (i == Policies.Goto.End)
            {
                return null;
            }
        }

        return null;
    }
}
