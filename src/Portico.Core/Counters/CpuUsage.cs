using Microsoft.Extensions.Hosting;

namespace Portico.Counters;

/// <summary>
/// CPU use as NetScaler's <c>cpu_use</c> counts it, in tenths of a percent: the process's share of all
/// its cores (0-1000; 500 is one core busy out of two) and each core's busy time, measured over the last
/// second. One sampler for every reader, so a Prometheus scrape, a history sample and the profiler
/// trigger all see the same one-second window instead of stealing each other's deltas.
/// </summary>
public sealed class CpuUsage(TimeProvider time) : BackgroundService
{
    /// <summary>How often CPU use is measured.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private long _lastProcessTicks = -1;
    private long _lastTimestamp;
    private List<(long Busy, long Total)> _lastCores = [];

    /// <summary>The process's CPU use over the last period, in tenths of a percent of all its cores.</summary>
    public int ProcessTenths { get; private set; }

    /// <summary>Busy share of the machine (index 0, <c>total</c>) and of each core, in tenths of a percent.</summary>
    public IReadOnlyList<int> CoreTenths { get; private set; } = [];

    /// <summary>The process's threads at the last measure.</summary>
    public int Threads { get; private set; }

    /// <summary>Raised after each measure with <see cref="ProcessTenths"/> (the profiler's CPU trigger listens).</summary>
    public event Action<int>? Measured;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Measure();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Period, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Measure();
        }
    }

    /// <summary>Measures now, over the time since the previous measure.</summary>
    public void Measure()
    {
        int process;
        lock (_lock)
        {
            (long ticks, int threads) self;
            List<(long Busy, long Total)> cores;
            try
            {
                self = ProcStat.Self();
                cores = ProcStat.Cores();
            }
            catch (IOException)
            {
                return;
            }

            var now = time.GetTimestamp();
            if (_lastProcessTicks >= 0)
            {
                var seconds = time.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
                var capacity = seconds * ProcStat.TicksPerSecond * Environment.ProcessorCount;
                ProcessTenths = capacity <= 0 ? 0 : (int)Math.Clamp(Math.Round((self.ticks - _lastProcessTicks) * 1000 / capacity), 0, 1000);
                CoreTenths = [.. cores.Select((c, i) => i < _lastCores.Count ? Share(c, _lastCores[i]) : 0)];
            }

            _lastProcessTicks = self.ticks;
            _lastTimestamp = now;
            _lastCores = cores;
            Threads = self.threads;
            process = ProcessTenths;
        }

        Measured?.Invoke(process);
    }

    private static int Share((long Busy, long Total) now, (long Busy, long Total) before)
    {
        var total = now.Total - before.Total;
        return total <= 0 ? 0 : (int)Math.Clamp((now.Busy - before.Busy) * 1000 / total, 0, 1000);
    }
}
