using Portico.Configuration;

namespace Portico.Syslog;

/// <summary>Remote syslog's section of the config (<c>set audit syslogParams</c>), registered by its command module.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class SyslogSections
{
    public static readonly ConfigSection<SyslogSettings, SyslogSettings> ParamsSection = ConfigSection.Value("audit syslogParams", SyslogSettings.Off);

    extension(RunningConfig config)
    {
        /// <summary>The remote syslog target (<c>set audit syslogParams</c>).</summary>
        public SyslogSettings Syslog => config.Get(ParamsSection);
    }

    extension(ConfigBuilder batch)
    {
        public SyslogSettings Syslog
        {
            get => batch.Edit(ParamsSection);
            set => batch.Set(ParamsSection, value);
        }
    }
}
