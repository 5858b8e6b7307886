using System.Collections.Immutable;
using Portico.Configuration;

namespace Portico.ContentSwitching;

/// <summary>Content switching's sections of the config: vservers, actions and policies, by name.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class CsSections
{
    public static readonly ConfigSection<ImmutableArray<CsVserver>, OrderedDictionary<string, CsVserver>> Vservers =
        ConfigSection.Named<CsVserver>("cs vserver", v => v.Name);

    public static readonly ConfigSection<ImmutableArray<CsAction>, OrderedDictionary<string, CsAction>> Actions =
        ConfigSection.Named<CsAction>("cs action", a => a.Name);

    public static readonly ConfigSection<ImmutableArray<CsPolicy>, OrderedDictionary<string, CsPolicy>> Policies =
        ConfigSection.Named<CsPolicy>("cs policy", p => p.Name);

    /// <summary>The cs vserver <paramref name="name"/> as the batch has it, or null.</summary>
    public static CsVserver? CsVserversOf(ConfigBuilder batch, string name) => batch.CsVservers.TryGetValue(name, out var v) ? v : null;

    extension(RunningConfig config)
    {
        public ImmutableArray<CsVserver> CsVservers => config.Get(Vservers);

        public ImmutableArray<CsAction> CsActions => config.Get(Actions);

        public ImmutableArray<CsPolicy> CsPolicies => config.Get(Policies);
    }

    extension(ConfigBuilder batch)
    {
        public OrderedDictionary<string, CsVserver> CsVservers => batch.Edit(Vservers);

        public OrderedDictionary<string, CsAction> CsActions => batch.Edit(Actions);

        public OrderedDictionary<string, CsPolicy> CsPolicies => batch.Edit(Policies);
    }
}
