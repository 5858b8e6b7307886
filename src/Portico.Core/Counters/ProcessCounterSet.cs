namespace Portico.Counters;

/// <summary>
/// The process and the machine under it: NetScaler's <c>cpu_use</c> (tenths of a percent), memory,
/// garbage collections, threads and open files (the per-process limit is what caps proxied connections).
/// </summary>
internal sealed class ProcessCounterSet(CpuUsage cpu) : ICounterSet
{
    private static readonly string[] Generations = ["gen0", "gen1", "gen2"];

    public IEnumerable<CounterDefinition> Declare()
    {
        yield return new CounterDefinition("portico.process.cpu_use", "{permille}", CounterKind.Gauge, null,
            "CPU used by Portico over the last second, in tenths of a percent of all its cores (NetScaler's cpu_use: 1000 = every core busy)",
            () => [new CounterReading("", cpu.ProcessTenths)]);
        yield return new CounterDefinition("portico.system.cpu_use", "{permille}", CounterKind.Gauge, "core",
            "Busy time of the machine (core total) and of each core (cpu0, cpu1...) over the last second, in tenths of a percent",
            () => cpu.CoreTenths.Select((v, i) => new CounterReading(i == 0 ? "total" : $"cpu{i - 1}", v)));
        yield return new CounterDefinition("portico.process.memory.rss", "By", CounterKind.Gauge, null,
            "Resident memory of the process", () => [new CounterReading("", Environment.WorkingSet)]);
        yield return new CounterDefinition("portico.process.memory.gc_heap", "By", CounterKind.Gauge, null,
            "Bytes allocated on the managed heap and still reachable or not yet collected", () => [new CounterReading("", GC.GetTotalMemory(false))]);
        yield return new CounterDefinition("portico.process.gc.collections", "{collection}", CounterKind.Total, "generation",
            "Garbage collections by generation", () => Generations.Select((g, i) => new CounterReading(g, GC.CollectionCount(i))));
        yield return new CounterDefinition("portico.process.gc.pause", "us", CounterKind.Total, null,
            "Time the process was paused for garbage collection", () => [new CounterReading("", (long)GC.GetTotalPauseDuration().TotalMicroseconds)]);
        yield return new CounterDefinition("portico.process.threads", "{thread}", CounterKind.Gauge, null,
            "Threads of the process", () => [new CounterReading("", cpu.Threads)]);
        yield return new CounterDefinition("portico.process.threadpool.queue", "{work_item}", CounterKind.Gauge, null,
            "Work items waiting for a thread-pool thread", () => [new CounterReading("", ThreadPool.PendingWorkItemCount)]);
        yield return new CounterDefinition("portico.process.open_files", "{file}", CounterKind.Gauge, null,
            "File descriptors open (every proxied connection holds two)", () => [new CounterReading("", OpenFiles())]);
    }

    private static long OpenFiles()
    {
        long n = 0;
        foreach (var _ in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            n++;
        }

        return n;
    }
}
