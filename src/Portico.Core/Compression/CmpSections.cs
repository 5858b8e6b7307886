using System.Collections.Immutable;
using Portico.Configuration;

namespace Portico.Compression;

/// <summary>Compression's sections of the config: the switch, the parameters, actions and policies.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class CmpSections
{
    public static readonly ConfigSection<CmpFeature, CmpFeature> Feature = ConfigSection.Value("ns feature CMP", CmpFeature.Off);

    public static readonly ConfigSection<CmpParameter, CmpParameter> Parameter = ConfigSection.Value("cmp parameter", CmpParameter.Default);

    public static readonly ConfigSection<ImmutableArray<CmpAction>, OrderedDictionary<string, CmpAction>> Actions =
        ConfigSection.Named<CmpAction>("cmp action", a => a.Name);

    public static readonly ConfigSection<ImmutableArray<CmpPolicy>, OrderedDictionary<string, CmpPolicy>> Policies =
        ConfigSection.Named<CmpPolicy>("cmp policy", p => p.Name);

    extension(RunningConfig config)
    {
        public CmpFeature CmpFeature => config.Get(Feature);

        public CmpParameter CmpParameter => config.Get(Parameter);

        public ImmutableArray<CmpAction> CmpActions => config.Get(Actions);

        public ImmutableArray<CmpPolicy> CmpPolicies => config.Get(Policies);
    }

    extension(ConfigBuilder batch)
    {
        public CmpFeature CmpFeature
        {
            get => batch.Edit(Feature);
            set => batch.Set(Feature, value);
        }

        public CmpParameter CmpParameter
        {
            get => batch.Edit(Parameter);
            set => batch.Set(Parameter, value);
        }

        public OrderedDictionary<string, CmpAction> CmpActions => batch.Edit(Actions);

        public OrderedDictionary<string, CmpPolicy> CmpPolicies => batch.Edit(Policies);
    }
}
