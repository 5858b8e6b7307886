using Portico.Policies.Expressions;

namespace Portico.ContentSwitching;

/// <summary>
/// A cs vserver's policies compiled for the data path, in priority order: the first whose rule matches chooses
/// the target, unless its bind's goto says NEXT or a priority, in which case evaluation goes on there and a later
/// match chooses instead. No match: the default lb vserver (<see cref="NoMatch"/>).
/// </summary>
public sealed class CsTable
{
    public const int NoMatch = -1;

    private readonly Entry[] _entries;

    public CsTable(IReadOnlyList<Entry> entries, string? defaultTarget)
    {
        _entries = [.. entries.OrderBy(e => e.Priority)];
        DefaultTarget = defaultTarget;
    }

    /// <summary>One bound policy: its rule, the lb vserver it chooses, and where evaluation goes after it matched.</summary>
    /// <param name="Next">NEXT (-1), a priority to continue at, or null for END.</param>
    public sealed record Entry(string Policy, long Priority, CompiledExpression Rule, string Target, long? Next);

    public IReadOnlyList<Entry> Entries => _entries;

    public string? DefaultTarget { get; }

    /// <summary>
    /// The index of the entry whose target serves <paramref name="request"/>, or <see cref="NoMatch"/>. A rule that is
    /// UNDEF for this request counts as not matching (counted by the caller through <paramref name="undefined"/>).
    /// </summary>
    public int Choose(IPolicyRequest request, out bool undefined)
    {
        undefined = false;
        var chosen = NoMatch;
        for (var i = 0; i < _entries.Length; i++)
        {
            var e = _entries[i];
            bool matched;
            try
            {
                matched = e.Rule.Matches(request);
            }
            catch (UndefinedValueException)
            {
                undefined = true;
                continue;
            }

            if (!matched)
            {
                continue;
            }

            chosen = i;
            if (e.Next is not { } next)
            {
                return chosen;
            }

            if (next >= 0)
            {
                // Continue at the first entry whose priority is at least the one named (after this one).
                var j = Array.FindIndex(_entries, i + 1, x => x.Priority >= next);
                if (j < 0)
                {
                    return chosen;
                }

                i = j - 1;
            }
        }

        return chosen;
    }
}
