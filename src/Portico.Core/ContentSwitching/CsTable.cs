using Portico.Policies.Expressions;

namespace Portico.ContentSwitching;

/// <summary>
/// A cs vserver's policies compiled for the data path, in priority order: the first whose rule matches chooses
/// the target, unless its bind's goto says NEXT or a priority, in which case evaluation goes on there and a later
/// match chooses instead. No match: the default lb vserver (<see cref="NoMatch"/>).
/// A run of rules that each only compare the host with a literal and end evaluation (the usual virtual-host table)
/// is one dictionary lookup instead of one comparison per rule: the first rule of the run whose host equals the
/// request's is the one the scan would have found.
/// </summary>
public sealed class CsTable
{
    public const int NoMatch = -1;

    // Below this many rules a scan is as fast as hashing the host.
    private const int MinimumRun = 4;

    private readonly Entry[] _entries;

    // For each entry that starts a run of host rules, the run; null elsewhere.
    private readonly HostRun?[] _runs;

    public CsTable(IReadOnlyList<Entry> entries, string? defaultTarget)
    {
        _entries = [.. entries.OrderBy(e => e.Priority)];
        DefaultTarget = defaultTarget;
        _runs = HostRun.Find(_entries);
    }

    /// <summary>How many entries are looked up by host rather than compared one by one (for tests and <c>show</c>).</summary>
    public int HostTableEntries => _runs.Sum(r => r?.Length ?? 0);

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
            if (_runs[i] is { } run && request.Host is { } host)
            {
                if (run.Find(host) is { } k)
                {
                    // Every entry of a run ends evaluation, so the first match is the answer.
                    return k;
                }

                i += run.Length - 1;
                continue;
            }

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
            i = Policies.Goto.After<Entry>(_entries, i, e.Next, static x => x.Priority);
            if (i == Policies.Goto.End)
            {
                return chosen;
            }
        }

        return chosen;
    }

    /// <summary>A run of consecutive entries whose rules are <c>HTTP.REQ.HOSTNAME.EQ("...")</c> with END.</summary>
    private sealed class HostRun
    {
        private readonly Dictionary<string, int> _first;

        private HostRun(Dictionary<string, int> first, int length)
        {
            _first = first;
            Length = length;
        }

        public int Length { get; }

        public int? Find(string host) => _first.TryGetValue(host, out var k) ? k : null;

        public static HostRun?[] Find(Entry[] entries)
        {
            var runs = new HostRun?[entries.Length];
            var start = 0;
            while (start < entries.Length)
            {
                var comparison = HostRule(entries[start]);
                var end = start;
                while (end < entries.Length && comparison is not null && HostRule(entries[end]) == comparison)
                {
                    end++;
                }

                if (end - start >= MinimumRun)
                {
                    var first = new Dictionary<string, int>(comparison == StringComparison.OrdinalIgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
                    for (var k = start; k < end; k++)
                    {
                        // A host named twice: the earlier rule is the one a scan reaches.
                        first.TryAdd(entries[k].Rule.HostEquals!.Host, k);
                    }

                    runs[start] = new HostRun(first, end - start);
                }

                start = Math.Max(end, start + 1);
            }

            return runs;
        }

        private static StringComparison? HostRule(Entry e) => e.Next is null ? e.Rule.HostEquals?.Comparison : null;
    }
}
