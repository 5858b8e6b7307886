using System.Collections.Frozen;
using System.Collections.Immutable;
using Portico.Configuration;
using Portico.LoadBalancing;

namespace Portico.Http.Profiles;

/// <summary>
/// HTTP profiles' section of the config (<c>add ns httpProfile</c>), registered with its <c>save config</c>
/// lines by the HTTP profile command module. The section holds the added profiles and the built-in ones a
/// <c>set</c> changed; a built-in profile nobody changed reads as NetScaler ships it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class HttpProfileSections
{
    /// <summary>The profiles <c>add ns httpProfile</c> made and the built-in ones <c>set ns httpProfile</c> changed, in that order.</summary>
    public static readonly ConfigSection<ImmutableArray<HttpProfile>, OrderedDictionary<string, HttpProfile>> ProfileSection =
        ConfigSection.Named<HttpProfile>("ns httpProfile", p => p.Name);

    /// <summary>The built-in profiles as NetScaler ships them, in the order <c>show ns httpProfile</c> lists them.</summary>
    public static ImmutableArray<HttpProfile> BuiltIns { get; } = [HttpProfile.Default, HttpProfile.StrictValidation];

    private static readonly ConfigView<FrozenDictionary<string, HttpProfile>> ByName =
        new(c => Effective(c.Get(ProfileSection)).ToFrozenDictionary(p => p.Name, StringComparer.Ordinal));

    extension(RunningConfig config)
    {
        /// <summary>Every profile in force: the built-in ones (as set), then the added ones in creation order.</summary>
        public ImmutableArray<HttpProfile> HttpProfiles => Effective(config.Get(ProfileSection));

        public FrozenDictionary<string, HttpProfile> HttpProfilesByName => config.View(ByName);

        /// <summary>
        /// The profile the engine applies to <paramref name="vserver"/>'s clients: the one its
        /// <c>-httpProfileName</c> names, else <c>nshttp_default_profile</c> as it is currently set.
        /// </summary>
        public HttpProfile HttpProfileOf(LbVserver vserver) =>
            vserver.HttpProfileName is { } name && config.HttpProfilesByName.TryGetValue(name, out var bound)
                ? bound
                : config.HttpProfilesByName[HttpProfile.DefaultName];
    }

    extension(ConfigBuilder batch)
    {
        /// <summary>The section as the batch edits it: added profiles and changed built-in ones (a built-in profile only once set).</summary>
        public OrderedDictionary<string, HttpProfile> HttpProfiles => batch.Edit(ProfileSection);

        /// <summary>The profile named <paramref name="name"/> as the batch has it, a built-in one included; null for none.</summary>
        public HttpProfile? HttpProfileOf(string name) =>
            batch.HttpProfiles.TryGetValue(name, out var p) ? p : BuiltIns.FirstOrDefault(b => b.Name == name);
    }

    /// <summary>True when <paramref name="name"/> is one of the built-in profiles.</summary>
    public static bool IsBuiltIn(string name) => BuiltIns.Any(b => b.Name == name);

    private static ImmutableArray<HttpProfile> Effective(ImmutableArray<HttpProfile> stored)
    {
        var set = stored.ToDictionary(p => p.Name, StringComparer.Ordinal);
        return [.. BuiltIns.Select(b => set.GetValueOrDefault(b.Name, b)), .. stored.Where(p => !p.IsBuiltIn)];
    }
}
