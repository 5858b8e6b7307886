using Portico.Policies.Expressions;

namespace Portico.Caching;

/// <summary>What a matched cache policy decided: its action, the group it names, what it invalidates.</summary>
public sealed record CacheDecision(string Policy, CacheAction Action, string Group, IReadOnlyList<string> InvalGroups, IReadOnlyList<string> InvalObjects)
{
    /// <summary>No policy matched a GET or HEAD: RFC 9111 decides, in the DEFAULT group.</summary>
    public static readonly CacheDecision Default = new("", CacheAction.MayCache, "DEFAULT", [], []);
}

/// <summary>The cache policies of one bind point and side, in priority order; the first match decides (goto as NetScaler).</summary>
internal sealed class CacheBank(CacheBank.Entry[] entries)
{
    public sealed record Entry(long Priority, CompiledExpression Rule, CacheDecision Decision, CacheDecision? Undefined, long? Next,
        Policies.PolicyCounters.PolicyHits Hits);

    public CacheDecision? Decide(IPolicyRequest request)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            try
            {
                if (!e.Rule.Matches(request))
                {
                    continue;
                }

                Interlocked.Increment(ref e.Hits.Hits);
                return e.Decision;
            }
            catch (UndefinedValueException)
            {
                Interlocked.Increment(ref e.Hits.Undefined);
                if (e.Undefined is { } undefined)
                {
                    return undefined;
                }
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
