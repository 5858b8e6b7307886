namespace Portico.Profiling;

/// <summary>
/// <c>set ns profiler</c> (Portico's form of NetScaler's CPU-triggered profiling): when the process's
/// <c>cpu_use</c> stays above <see cref="CpuThreshold"/> for <see cref="Sustain"/>, a CPU profile of
/// <see cref="Duration"/> is captured into the history log directory, at most once per <see cref="Period"/>.
/// </summary>
/// <param name="CpuThreshold">In tenths of a percent of all cores (900 = 90%); 0 turns the trigger off.</param>
public sealed record ProfilerSettings(int CpuThreshold, TimeSpan Duration, TimeSpan Period, TimeSpan Sustain)
{
    public static readonly ProfilerSettings Default = new(0, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), TimeSpan.FromSeconds(5));
}
