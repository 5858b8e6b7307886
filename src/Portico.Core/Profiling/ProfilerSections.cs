using Portico.Configuration;

namespace Portico.Profiling;

/// <summary>The profiler's section of the config (<c>set ns profiler</c>), registered by the profiler command module.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class ProfilerSections
{
    public static readonly ConfigSection<ProfilerSettings, ProfilerSettings> ProfilerSection = ConfigSection.Value("ns profiler", ProfilerSettings.Default);

    extension(RunningConfig config)
    {
        /// <summary>The automatic CPU profile trigger (<c>set ns profiler</c>).</summary>
        public ProfilerSettings Profiler => config.Get(ProfilerSection);
    }

    extension(ConfigBuilder batch)
    {
        public ProfilerSettings Profiler
        {
            get => batch.Edit(ProfilerSection);
            set => batch.Set(ProfilerSection, value);
        }
    }
}
