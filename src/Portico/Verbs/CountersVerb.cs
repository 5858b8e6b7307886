using System.CommandLine;
using System.Globalization;
using Portico.Charts;
using Portico.CounterQuery;
using Portico.Counters.History;

namespace Portico.Verbs;

/// <summary>
/// <c>portico counters</c>: query the counters history log offline, as NetScaler's <c>nsconmsg</c> does
/// (<c>-K file -g pattern -d mode -s totalcount=N -j vserver</c>), with long options too. It only ever
/// reads: unlike nsconmsg there is no lower-case <c>-k</c> that writes, so a typo cannot overwrite a log.
/// </summary>
internal static class CountersVerb
{
    private static readonly Dictionary<string, DisplayMode> Modes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["current"] = DisplayMode.Current,
        ["past"] = DisplayMode.Past,
        ["statswt0"] = DisplayMode.StatsWt0,
        ["event"] = DisplayMode.Event,
        ["setime"] = DisplayMode.SeTime,
    };

    public static Command Create()
    {
        var file = new Option<string?>("--file", "-K") { Description = "History file to read: a path, or a name in --log-dir like portico.newnslog.3 (default: the current portico.newnslog)" };
        var allFiles = new Option<bool>("--all-files") { Description = "Read every file in --log-dir, oldest first (a window across rotations)" };
        var logDir = new Option<string>("--log-dir")
        {
            Description = "Directory of the history files (portico run --log-dir; set ns counters -directory)",
            DefaultValueFactory = _ => HistoryOptions.DefaultDirectory,
        };
        var counter = new Option<string[]>("--counter", "-g")
        {
            Description = "Counter name pattern: a substring (cpu_use) or a glob (portico.vserver.*); repeat or separate with commas. Default: every counter",
            AllowMultipleArgumentsPerToken = false,
        };
        var mode = new Option<string>("--mode", "-d")
        {
            Description = "current: values per sample; past: one line per counter over time, with a sparkline; statswt0: only counters that changed; event: events (service UP/DOWN, config applied...); setime: each file's time span",
            DefaultValueFactory = _ => "current",
        };
        var select = new Option<string[]>("-s") { Description = "nsconmsg selector: totalcount=N keeps values above N (cpu_use is in tenths of a percent: totalcount=500 is above 50%)" };
        var above = new Option<long?>("--above") { Description = "Keep values above this (same as -s totalcount=N)" };
        var entity = new Option<string?>("--vserver", "--entity", "-j") { Description = "Only this vserver, service, core... (a glob with *)" };
        var since = new Option<string?>("--since") { Description = "From this time: 2026-11-25T09:30:00Z, '2026-11-25 09:30', or relative to now: -15m, -2h, -1d" };
        var until = new Option<string?>("--until") { Description = "Up to this time (same forms as --since)" };
        var format = new Option<OutputFormat>("--format") { Description = "table, csv or json", DefaultValueFactory = _ => OutputFormat.Table };
        var spark = new Option<bool>("--sparkline") { Description = "After the table, one sparkline per counter and entity" };
        var plot = new Option<FileInfo?>("--plot") { Description = "Write a PNG line chart of the matching counter (one counter; each entity a line)" };
        var write = new Option<string?>("-k") { Description = "Not supported: nsconmsg's -k writes a log; portico counters never writes (use -K to read)", Hidden = true };

        var command = new Command("counters", "Query the counters history log (nsconmsg): values per sample, timelines, changed counters, events, time spans")
        {
            file, allFiles, logDir, counter, mode, select, above, entity, since, until, format, spark, plot, write,
        };
        command.SetAction(result =>
        {
            try
            {
                if (result.GetResult(write) is not null)
                {
                    throw new UsageException("-k writes a log in nsconmsg; portico counters never writes. Use -K <file> to read one.");
                }

                var query = new QueryOptions(
                    Files(result.GetValue(file), result.GetValue(allFiles), result.GetValue(logDir)!),
                    [.. (result.GetValue(counter) ?? []).SelectMany(c => c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                    Modes.TryGetValue(result.GetValue(mode)!, out var m) ? m : throw new UsageException($"-d {result.GetValue(mode)}: expected one of {string.Join(", ", Modes.Keys)}"),
                    Threshold(result.GetValue(select) ?? [], result.GetValue(above)),
                    Time(result.GetValue(since), "--since"),
                    Time(result.GetValue(until), "--until"),
                    result.GetValue(entity));
                return Run(query, result.GetValue(format), result.GetValue(spark), result.GetValue(plot));
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"portico counters: {e.Message}");
                return 2;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"portico counters: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Run(QueryOptions query, OutputFormat format, bool sparkline, FileInfo? plot)
    {
        var data = HistoryData.Load(query);
        var table = QueryModes.Run(data, query);
        Console.Out.Write(table.Write(format));
        foreach (var f in data.Files.Where(f => f.Damage is not null))
        {
            Console.Error.WriteLine($"note: {f.Path}: {f.Damage}");
        }

        if (table.Rows.Count == 0 && format == OutputFormat.Table)
        {
            Console.Error.WriteLine(query.Mode == DisplayMode.Event ? "no events match" : "no samples match (check -g, -j, -s and the time window; -d setime shows each file's span)");
        }

        var series = data.Series.Where(s => s.Points.Count > 0).OrderBy(s => s.Counter, StringComparer.Ordinal).ThenBy(s => s.Entity, StringComparer.Ordinal).ToList();
        if (sparkline)
        {
            foreach (var s in series)
            {
                var values = s.Points.Select(p => p.Value).ToList();
                Console.Out.WriteLine($"{s.Counter} {(s.Entity.Length == 0 ? "" : s.Entity + " ")}{values.Min()}..{values.Max()} {Sparkline.Draw(values, 60)}");
            }
        }

        if (plot is not null)
        {
            var counters = series.Select(s => s.Counter).Distinct().ToList();
            if (counters.Count != 1)
            {
                throw new UsageException(counters.Count == 0
                    ? "--plot: no samples match"
                    : $"--plot draws one counter; -g matches {counters.Count}: {string.Join(", ", counters.Take(8))}{(counters.Count > 8 ? "..." : "")}");
            }

            var lines = series.Take(8).Select(s => (s.Entity, (IReadOnlyList<(DateTimeOffset, long)>)s.Points)).ToList();
            File.WriteAllBytes(plot.FullName, new LineChart().Draw(counters[0], lines));
            Console.Error.WriteLine($"wrote {plot.FullName} ({lines.Count} line(s){(series.Count > 8 ? $"; {series.Count - 8} more entities left out: narrow with -j" : "")})");
        }

        return 0;
    }

    private static List<string> Files(string? file, bool all, string logDir)
    {
        if (all)
        {
            var files = HistoryFiles.All(logDir);
            return files.Count > 0 ? [.. files] : throw new UsageException($"no history files in {logDir} (portico run writes them there; --log-dir names another directory)");
        }

        if (file is null)
        {
            var current = Path.Combine(logDir, HistoryFormat.CurrentName);
            return File.Exists(current) ? [current] : throw new UsageException($"{current} does not exist (is the history log on? 'show ns counters' says where it writes; --log-dir or -K names another)");
        }

        if (File.Exists(file))
        {
            return [file];
        }

        var inDir = Path.Combine(logDir, file);
        return File.Exists(inDir) ? [inDir] : throw new UsageException($"-K {file}: no such file (nor in {logDir})");
    }

    private static long? Threshold(string[] selectors, long? above)
    {
        var threshold = above;
        foreach (var s in selectors)
        {
            var parts = s.Split('=', 2);
            if (parts.Length == 2 && parts[0].Equals("totalcount", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                threshold = n;
            }
            else
            {
                throw new UsageException($"-s {s}: expected totalcount=N (a number); other nsconmsg selectors are not supported (use -j for a vserver)");
            }
        }

        return threshold;
    }

    internal static DateTimeOffset? Time(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > 2 && text[0] == '-' && double.TryParse(text[1..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            var ago = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => (TimeSpan?)null,
            };
            if (ago is { } span)
            {
                return DateTimeOffset.UtcNow - span;
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw new UsageException($"{option} {text}: expected a time like 2026-11-25T09:30:00Z or '2026-11-25 09:30' (UTC unless an offset is given), or -15m, -2h, -1d");
    }

    private sealed class UsageException(string message) : Exception(message);
}
