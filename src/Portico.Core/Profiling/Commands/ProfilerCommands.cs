using System.Globalization;
using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Profiling;

namespace Portico.Profiling.Commands;

/// <summary><c>set|unset|show ns profiler</c>: the automatic CPU profile trigger.</summary>
internal sealed class ProfilerCommands : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Sections.Add(ProfilerSections.ProfilerSection, ConfigRank.Settings + 10, Write);

        r.Mutation("set", "ns profiler", "Captures a CPU profile into the log directory when cpu_use stays above a threshold")
            .Option("cpuThreshold", Values.Int(0, 1000), "cpu_use in tenths of a percent of all cores (900 = 90%); 0 turns it off")
            .Option("seconds", Values.Int(1, 600), "length of a capture (default 10)")
            .Option("period", Values.Int(60, 7 * 24 * 3600), "seconds at least between two captures (default 3600)")
            .Option("sustain", Values.Int(1, 3600), "seconds cpu_use must stay above the threshold (default 5)")
            .Applies((b, c) =>
            {
                var s = b.Profiler;
                b.Profiler = s with
                {
                    CpuThreshold = c.Maybe<long>("cpuThreshold") is { } t ? (int)t : s.CpuThreshold,
                    Duration = c.Maybe<long>("seconds") is { } d ? TimeSpan.FromSeconds(d) : s.Duration,
                    Period = c.Maybe<long>("period") is { } p ? TimeSpan.FromSeconds(p) : s.Period,
                    Sustain = c.Maybe<long>("sustain") is { } u ? TimeSpan.FromSeconds(u) : s.Sustain,
                };
            });

        r.Mutation("unset", "ns profiler", "Turns the CPU profile trigger off and its settings back to defaults")
            .Applies((b, _) => b.Profiler = ProfilerSettings.Default);

        r.Query("show", "ns profiler", "Shows the CPU profile trigger and the captures it took")
            .Runs<ProfilerTrigger>(trigger => (ctx, _) =>
            {
                var s = ctx.Config.Profiler;
                return new ProfilerView(s.CpuThreshold, s.Sustain, s.Duration, s.Period, trigger.Directory, [.. trigger.Captures]);
            });
    }

    /// <summary>The <c>set ns profiler</c> line of a config, or nothing when the trigger has its defaults.</summary>
    public static IEnumerable<string> Write(RunningConfig config)
    {
        var s = config.Profiler;
        var d = ProfilerSettings.Default;
        var options = new List<string>();
        if (s.CpuThreshold != d.CpuThreshold)
        {
            options.Add($"-cpuThreshold {s.CpuThreshold}");
        }

        if (s.Duration != d.Duration)
        {
            options.Add($"-seconds {(long)s.Duration.TotalSeconds}");
        }

        if (s.Period != d.Period)
        {
            options.Add($"-period {(long)s.Period.TotalSeconds}");
        }

        if (s.Sustain != d.Sustain)
        {
            options.Add($"-sustain {(long)s.Sustain.TotalSeconds}");
        }

        if (options.Count > 0)
        {
            yield return $"set ns profiler {string.Join(' ', options)}";
        }
    }
}
