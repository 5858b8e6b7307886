using System.Globalization;

namespace Portico.Counters;

/// <summary>
/// The few numbers Portico reads from Linux's <c>/proc</c>: its own CPU time and thread count
/// (<c>/proc/self/stat</c>) and every core's busy and total time (<c>/proc/stat</c>). Times are in
/// USER_HZ ticks, which the kernel reports at 100 per second whatever its own tick rate.
/// </summary>
internal static class ProcStat
{
    public const int TicksPerSecond = 100;

    /// <summary>utime + stime of this process, in ticks, and its thread count.</summary>
    public static (long CpuTicks, int Threads) Self()
    {
        var text = File.ReadAllText("/proc/self/stat");

        // The command name (field 2) is in parentheses and may hold spaces: fields are counted after its ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long F(int n) => long.Parse(fields[n - 3], CultureInfo.InvariantCulture);
        return (F(14) + F(15), (int)F(20));
    }

    /// <summary>Busy and total ticks of the whole machine (index 0) and of each core (index 1 + n).</summary>
    public static List<(long Busy, long Total)> Cores()
    {
        var result = new List<(long, long)>();
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal))
            {
                break;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long total = 0;
            for (var i = 1; i < parts.Length && i <= 8; i++)
            {
                total += long.Parse(parts[i], CultureInfo.InvariantCulture);
            }

            // user nice system idle iowait irq softirq steal: idle and iowait are the time a core did nothing.
            var idle = long.Parse(parts[4], CultureInfo.InvariantCulture) + (parts.Length > 5 ? long.Parse(parts[5], CultureInfo.InvariantCulture) : 0);
            result.Add((total - idle, total));
        }

        return result;
    }
}
