namespace Portico.CommandLanguage;

/// <summary>Finds the words an operator probably meant, for "did you mean" hints.</summary>
public static class Suggestions
{
    public static IEnumerable<string> Closest(string word, IEnumerable<string> candidates, int max = 3)
    {
        var limit = Math.Max(2, word.Length / 3);
        return candidates
            .Select(c => (c, d: Distance(word.ToUpperInvariant(), c.ToUpperInvariant())))
            .Where(x => x.d <= limit)
            .OrderBy(x => x.d)
            .Take(max)
            .Select(x => x.c);
    }

    /// <summary>Levenshtein distance; inputs are short command words.</summary>
    public static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
