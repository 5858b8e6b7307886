using System.Collections.Immutable;

namespace Portico.Configuration;

/// <summary>The usual shapes of a section, so a concern declares one in a line.</summary>
public static class ConfigSection
{
    /// <summary>Objects with a name, in creation order; a batch edits them by name.</summary>
    public static ConfigSection<ImmutableArray<T>, OrderedDictionary<string, T>> Named<T>(string name, Func<T, string> key) =>
        new(name, [], items =>
        {
            var d = new OrderedDictionary<string, T>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                d.Add(key(item), item);
            }

            return d;
        }, d => [.. d.Values]);

    /// <summary>Objects in order (bindings); a batch edits a list.</summary>
    /// <param name="follows">What the rest of a batch takes with it (see <see cref="IConfigSection.Follow"/>).</param>
    public static ConfigSection<ImmutableArray<T>, List<T>> Ordered<T>(string name, Func<ImmutableArray<T>, ConfigBuilder, ImmutableArray<T>>? follows = null) =>
        new(name, [], items => [.. items], list => [.. list]) { Follows = follows };

    /// <summary>
    /// A persistent value (settings records, persistent sets): a batch replaces it, so taking it over
    /// costs nothing whatever its size.
    /// </summary>
    /// <param name="reloads">What a reload keeps of it (default: nothing).</param>
    public static ConfigSection<T, T> Value<T>(string name, T empty, Func<T, T>? reloads = null) where T : notnull =>
        new(name, empty, v => v, v => v) { Reloads = reloads };
}
