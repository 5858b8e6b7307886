using System.Globalization;
using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Counters.History;

namespace Portico.Counters.Commands;

/// <summary>
/// <c>set|unset|show ns counters</c> (Portico's own: NetScaler's newnslog is not configurable from its CLI)
/// and <c>stat ns</c>, the process counters live.
/// </summary>
internal sealed class HistoryCommands : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Sections.Add(HistorySections.HistorySection, ConfigRank.Settings, Write);

        r.Mutation("set", "ns counters", "Sets how counters are sampled into the history log that 'portico counters' reads")
            .Option("interval", Values.Int(0, 3600), "seconds between samples (default 7; 0 turns the history log off)")
            .Option("directory", Values.Text, "directory of portico.newnslog and its archives (default: portico run --log-dir)")
            .Option("rotateMinutes", Values.Int(1, 7 * 24 * 60), "archive the current file once it is this old (default 60)")
            .Option("rotateSizeKB", Values.Int(16, 4L * 1024 * 1024), "archive the current file once it is this large (default 16384)")
            .Option("keepFiles", Values.Int(0, 100_000), "archives kept; older ones are deleted (default 168: a week of hourly files)")
            .Applies((b, c) =>
            {
                var s = b.Counters;
                b.Counters = s with
                {
                    Interval = c.Maybe<long>("interval") is { } i ? TimeSpan.FromSeconds(i) : s.Interval,
                    Directory = c.MaybeRef<string>("directory") is { } d ? Directory(c, d) : s.Directory,
                    RotateAfter = c.Maybe<long>("rotateMinutes") is { } m ? TimeSpan.FromMinutes(m) : s.RotateAfter,
                    RotateBytes = c.Maybe<long>("rotateSizeKB") is { } k ? k * 1024 : s.RotateBytes,
                    KeepFiles = c.Maybe<long>("keepFiles") is { } n ? (int)n : s.KeepFiles,
                };
            });

        r.Mutation("unset", "ns counters", "Puts history log settings back to their defaults")
            .Option("interval", Values.Flag, "7 seconds")
            .Option("directory", Values.Flag, "the process's default directory")
            .Option("rotateMinutes", Values.Flag, "60 minutes")
            .Option("rotateSizeKB", Values.Flag, "16384 KB")
            .Option("keepFiles", Values.Flag, "168 archives")
            .Applies((b, c) =>
            {
                var d = HistorySettings.Default;
                var s = b.Counters;
                b.Counters = new HistorySettings(
                    c.Has("interval") ? d.Interval : s.Interval,
                    c.Has("directory") ? d.Directory : s.Directory,
                    c.Has("rotateMinutes") ? d.RotateAfter : s.RotateAfter,
                    c.Has("rotateSizeKB") ? d.RotateBytes : s.RotateBytes,
                    c.Has("keepFiles") ? d.KeepFiles : s.KeepFiles);
            });

        r.Query("show", "ns counters", "Shows the history log settings and files, and every counter Portico declares")
            .Runs<CounterQueries>(q => q.Show);

        r.Query("stat", "ns", "Shows the process's counters now: cpu_use, memory, garbage collections, threads, source ports")
            .Runs<CounterCatalog>(catalog => (_, _) => ProcessStats.Read(catalog));
    }

    /// <summary>The <c>set ns counters</c> line of a config, or nothing when every setting is the default.</summary>
    public static IEnumerable<string> Write(RunningConfig config)
    {
        var s = config.Counters;
        var d = HistorySettings.Default;
        var options = new List<string>();
        if (s.Interval != d.Interval)
        {
            options.Add($"-interval {(long)s.Interval.TotalSeconds}");
        }

        if (s.Directory is { } dir)
        {
            options.Add($"-directory {ConfigText.Quote(dir)}");
        }

        if (s.RotateAfter != d.RotateAfter)
        {
            options.Add($"-rotateMinutes {(long)s.RotateAfter.TotalMinutes}");
        }

        if (s.RotateBytes != d.RotateBytes)
        {
            options.Add($"-rotateSizeKB {s.RotateBytes / 1024}");
        }

        if (s.KeepFiles != d.KeepFiles)
        {
            options.Add($"-keepFiles {s.KeepFiles}");
        }

        if (options.Count > 0)
        {
            yield return $"set ns counters {string.Join(' ', options)}";
        }
    }

    private static string Directory(ParsedCommand c, string path) =>
        Path.IsPathFullyQualified(path) ? path : throw c.Error("directory", "expected an absolute directory path, like /var/log/portico");
}
