using System.Collections.Frozen;
using System.Collections.Immutable;
using Portico.Configuration;

namespace Portico.ClientIp;

/// <summary>
/// Net profiles' section of the config (<c>add ns netProfile</c>: PROXY protocol and source IP), in
/// creation order; registered, with its <c>save config</c> lines, by the net profile command module.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class NetProfileSections
{
    public static readonly ConfigSection<ImmutableArray<NetProfile>, OrderedDictionary<string, NetProfile>> NetProfileSection =
        ConfigSection.Named<NetProfile>("ns netProfile", p => p.Name);

    private static readonly ConfigView<FrozenDictionary<string, NetProfile>> ByName =
        new(c => c.Get(NetProfileSection).ToFrozenDictionary(p => p.Name, StringComparer.Ordinal));

    extension(RunningConfig config)
    {
        /// <summary>Net profiles (<c>add ns netProfile</c>): PROXY protocol and source IP, in creation order.</summary>
        public ImmutableArray<NetProfile> NetProfiles => config.Get(NetProfileSection);

        public FrozenDictionary<string, NetProfile> NetProfilesByName => config.View(ByName);

        /// <summary>The net profile a vserver or backend names, or null for none.</summary>
        public NetProfile? NetProfileOf(string? name) => name is not null && config.NetProfilesByName.TryGetValue(name, out var p) ? p : null;
    }

    extension(ConfigBuilder batch)
    {
        public OrderedDictionary<string, NetProfile> NetProfiles => batch.Edit(NetProfileSection);
    }
}
