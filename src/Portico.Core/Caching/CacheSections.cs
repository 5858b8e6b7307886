using System.Collections.Immutable;
using Portico.Configuration;

namespace Portico.Caching;

/// <summary>The integrated cache's sections of the config: its parameters, content groups and policies.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class CacheSections
{
    public static readonly ConfigSection<CacheParameters, CacheParameters> Parameters = ConfigSection.Value("cache parameter", CacheParameters.Default);

    /// <summary>Added groups, and the built-in ones once a <c>set cache contentGroup</c> changed them.</summary>
    public static readonly ConfigSection<ImmutableArray<CacheContentGroup>, OrderedDictionary<string, CacheContentGroup>> Groups =
        ConfigSection.Named<CacheContentGroup>("cache contentGroup", g => g.Name);

    public static readonly ConfigSection<ImmutableArray<CachePolicy>, OrderedDictionary<string, CachePolicy>> Policies =
        ConfigSection.Named<CachePolicy>("cache policy", p => p.Name);

    extension(RunningConfig config)
    {
        public CacheParameters CacheParameters => config.Get(Parameters);

        public ImmutableArray<CacheContentGroup> CacheGroups => config.Get(Groups);

        public ImmutableArray<CachePolicy> CachePolicies => config.Get(Policies);

        /// <summary>Every group in force: the built-in ones (as set) and the added ones.</summary>
        public IEnumerable<CacheContentGroup> AllCacheGroups =>
            CacheContentGroup.BuiltIn.Select(b => config.Get(Groups).FirstOrDefault(g => g.Name == b) ?? new CacheContentGroup(b))
                .Concat(config.Get(Groups).Where(g => !CacheContentGroup.IsBuiltIn(g.Name)));
    }

    extension(ConfigBuilder batch)
    {
        public CacheParameters CacheParameters
        {
            get => batch.Edit(Parameters);
            set => batch.Set(Parameters, value);
        }

        public OrderedDictionary<string, CacheContentGroup> CacheGroups => batch.Edit(Groups);

        public OrderedDictionary<string, CachePolicy> CachePolicies => batch.Edit(Policies);

        public bool HasCacheGroup(string name) => CacheContentGroup.IsBuiltIn(name) || batch.Edit(Groups).ContainsKey(name);
    }
}
