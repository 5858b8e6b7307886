using Portico.Configuration;

namespace Portico.HighAvailability;

/// <summary>The HA section of the config, registered with its <c>save config</c> lines by the HA command module.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class HaSections
{
    /// <summary>
    /// The pair as this node has it. A reload keeps nothing the file does not say, like every section; the
    /// secondary's config sync keeps it by writing this node's own lines after the primary's.
    /// </summary>
    public static readonly ConfigSection<HaConfig, HaConfig> Section = ConfigSection.Value("HA node", HaConfig.None);

    extension(RunningConfig config)
    {
        public HaConfig Ha => config.Get(Section);
    }

    extension(ConfigBuilder batch)
    {
        public HaConfig Ha
        {
            get => batch.Edit(Section);
            set => batch.Set(Section, value);
        }
    }
}
