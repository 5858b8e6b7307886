using Portico.Policies.Expressions;

namespace Portico.Rewrite;

/// <summary>
/// The rewrite policies of one bind point and direction, in priority order. Every matching policy adds its edit;
/// after a match its goto decides: END (the default) ends the bank, NEXT or a priority goes on. An UNDEF rule takes
/// the policy's undefAction (NOREWRITE unless set).
/// </summary>
internal sealed class RewriteBank(RewriteBank.Entry[] entries)
{
    public sealed record Entry(string Policy, long Priority, CompiledExpression Rule, CompiledRewrite Action, CompiledRewrite Undefined, long? Next,
        Policies.PolicyCounters.PolicyHits Hits);

    /// <summary>Adds the edits of the matching policies to <paramref name="edits"/>; RESET or DROP ends everything.</summary>
    public RewriteVerdict Collect(IPolicyRequest request, ref HeadEdits? edits)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            CompiledRewrite action;
            HeadEdits.Edit? edit;
            try
            {
                if (!e.Rule.Matches(request))
                {
                    continue;
                }

                Interlocked.Increment(ref e.Hits.Hits);
                action = e.Action;
                edit = action.EditFor(request);
            }
            catch (UndefinedValueException)
            {
                Interlocked.Increment(ref e.Hits.Undefined);
                action = e.Undefined;
                edit = null;
            }

            if (action.Verdict != RewriteVerdict.Continue)
            {
                return action.Verdict;
            }

            if (edit is not null)
            {
                (edits ??= new HeadEdits()).Add(edit);
            }

            i = Policies.Goto.After<Entry>(entries, i, e.Next, static x => x.Priority);
            if (i == Policies.Goto.End)
            {
                return RewriteVerdict.Continue;
            }
        }

        return RewriteVerdict.Continue;
    }
}
