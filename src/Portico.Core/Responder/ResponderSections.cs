using System.Collections.Immutable;
using Portico.Configuration;

namespace Portico.Responder;

/// <summary>The responder's sections of the config: actions, policies and imported HTML pages, by name.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class ResponderSections
{
    public static readonly ConfigSection<ImmutableArray<ResponderAction>, OrderedDictionary<string, ResponderAction>> Actions =
        ConfigSection.Named<ResponderAction>("responder action", a => a.Name);

    public static readonly ConfigSection<ImmutableArray<ResponderPolicy>, OrderedDictionary<string, ResponderPolicy>> Policies =
        ConfigSection.Named<ResponderPolicy>("responder policy", p => p.Name);

    public static readonly ConfigSection<ImmutableArray<ResponderHtmlPage>, OrderedDictionary<string, ResponderHtmlPage>> Pages =
        ConfigSection.Named<ResponderHtmlPage>("responder htmlpage", p => p.Name);

    extension(RunningConfig config)
    {
        public ImmutableArray<ResponderAction> ResponderActions => config.Get(Actions);

        public ImmutableArray<ResponderPolicy> ResponderPolicies => config.Get(Policies);

        public ImmutableArray<ResponderHtmlPage> ResponderPages => config.Get(Pages);
    }

    extension(ConfigBuilder batch)
    {
        public OrderedDictionary<string, ResponderAction> ResponderActions => batch.Edit(Actions);

        public OrderedDictionary<string, ResponderPolicy> ResponderPolicies => batch.Edit(Policies);

        public OrderedDictionary<string, ResponderHtmlPage> ResponderPages => batch.Edit(Pages);
    }
}
