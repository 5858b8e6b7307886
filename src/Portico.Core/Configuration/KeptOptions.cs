using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>Merging kept NetScaler options: a later <c>set</c> replaces an option of the same name.</summary>
internal static class KeptOptions
{
    public static IReadOnlyList<KeptOption> Merge(IReadOnlyList<KeptOption> existing, IReadOnlyList<KeptOption> given)
    {
        if (given.Count == 0)
        {
            return existing;
        }

        var names = given.Select(g => g.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. existing.Where(e => !names.Contains(e.Name)), .. given];
    }

    public static IReadOnlyList<KeptOption> Remove(IReadOnlyList<KeptOption> existing, IReadOnlyList<KeptOption> named)
    {
        var names = named.Select(g => g.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. existing.Where(e => !names.Contains(e.Name))];
    }

    /// <summary>The kept options written after the ones Portico acts on.</summary>
    public static IEnumerable<string> Write(IReadOnlyList<KeptOption> kept) => kept.Select(k => k.ToString());
}
