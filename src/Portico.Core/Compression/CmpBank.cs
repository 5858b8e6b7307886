using Portico.Policies.Expressions;

namespace Portico.Compression;

/// <summary>The compression policies of one bind point in priority order: the first whose rule matches decides.</summary>
internal sealed class CmpBank(CmpBank.Entry[] entries)
{
    public sealed record Entry(string Policy, long Priority, CompiledExpression Rule, CmpType Type, Policies.PolicyCounters.PolicyHits Hits);

    public IReadOnlyList<Entry> Entries => entries;

    /// <summary>The matching policy's action, or null when none matches (the next bank is asked).</summary>
    public CmpType? Decide(IPolicyRequest exchange)
    {
        foreach (var e in entries)
        {
            try
            {
                if (!e.Rule.Matches(exchange))
                {
                    continue;
                }
            }
            catch (UndefinedValueException)
            {
                // A rule that cannot be evaluated for this exchange does not match: the response passes as sent
                // unless a later policy decides (compression is never the answer to an undefined test).
                Interlocked.Increment(ref e.Hits.Undefined);
                continue;
            }

            Interlocked.Increment(ref e.Hits.Hits);
            return e.Type;
        }

        return null;
    }
}
