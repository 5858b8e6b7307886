using System.Collections.Immutable;
using Portico.Configuration;

namespace Portico.Rewrite;

/// <summary>Rewrite's sections of the config: actions and policies, by name.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class RewriteSections
{
    public static readonly ConfigSection<ImmutableArray<RewriteAction>, OrderedDictionary<string, RewriteAction>> Actions =
        ConfigSection.Named<RewriteAction>("rewrite action", a => a.Name);

    public static readonly ConfigSection<ImmutableArray<RewritePolicy>, OrderedDictionary<string, RewritePolicy>> Policies =
        ConfigSection.Named<RewritePolicy>("rewrite policy", p => p.Name);

    extension(RunningConfig config)
    {
        public ImmutableArray<RewriteAction> RewriteActions => config.Get(Actions);

        public ImmutableArray<RewritePolicy> RewritePolicies => config.Get(Policies);
    }

    extension(ConfigBuilder batch)
    {
        public OrderedDictionary<string, RewriteAction> RewriteActions => batch.Edit(Actions);

        public OrderedDictionary<string, RewritePolicy> RewritePolicies => batch.Edit(Policies);
    }
}
