using System.Globalization;
using System.Text;
using Portico.Configuration;

namespace Portico.Profiling.Commands;

/// <summary><c>show ns profiler</c>: the CPU profile trigger's settings and the captures it took.</summary>
/// <param name="CpuThreshold">In tenths of a percent of all cores (900 = 90%); 0 when the trigger is off.</param>
/// <param name="Directory">Where captures are written; null without a history log directory.</param>
internal sealed record ProfilerView(int CpuThreshold, TimeSpan Sustain, TimeSpan Duration, TimeSpan Period, string? Directory, IReadOnlyList<string> Captures)
    : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(CpuThreshold == 0
            ? "CPU profile trigger: off (set ns profiler -cpuThreshold 900 turns it on)\n"
            : string.Create(CultureInfo.InvariantCulture,
                $"CPU profile trigger: cpu_use above {CpuThreshold} ({CpuThreshold / 10.0:0.#}%) for {Sustain.TotalSeconds:0} s captures {Duration.TotalSeconds:0} s, at most once every {Period.TotalSeconds:0} s\n"));
        sb.Append(CultureInfo.InvariantCulture, $"  Directory: {Directory ?? "none (no history log directory)"}\n");
        foreach (var capture in Captures)
        {
            sb.Append("  Captured: ").Append(capture).Append('\n');
        }

        return sb.ToString();
    }
}
