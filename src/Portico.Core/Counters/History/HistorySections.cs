using Portico.Configuration;

namespace Portico.Counters.History;

/// <summary>The history log's section of the config (<c>set ns counters</c>), registered by the history command module.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class HistorySections
{
    public static readonly ConfigSection<HistorySettings, HistorySettings> HistorySection = ConfigSection.Value("ns counters", HistorySettings.Default);

    extension(RunningConfig config)
    {
        /// <summary>History log sampling, rotation and retention (<c>set ns counters</c>).</summary>
        public HistorySettings Counters => config.Get(HistorySection);
    }

    extension(ConfigBuilder batch)
    {
        public HistorySettings Counters
        {
            get => batch.Edit(HistorySection);
            set => batch.Set(HistorySection, value);
        }
    }
}
