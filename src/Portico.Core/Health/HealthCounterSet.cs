using Portico.Counters;
using Portico.Runtime;

namespace Portico.Health;

/// <summary>
/// Probe counters per member, summed over its monitors (<c>show service</c> lists them per monitor).
/// A monitor replaced by a config change starts its counts again, as Prometheus counters may.
/// </summary>
internal sealed class HealthCounterSet(IRuntimeSource runtime, HealthMonitors monitors) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare() =>
        new CounterGroup<ServiceRuntime>("service", "service", () => runtime.Current.Services.Values, s => s.Name)
            .Total("probes", "{probe}", "Health probes sent to the service", s => Sum(s, c => Interlocked.Read(ref c.Probes)))
            .Total("probe_failures", "{probe}", "Health probes that failed", s => Sum(s, c => Interlocked.Read(ref c.Failures)))
            .Definitions;

    private long Sum(ServiceRuntime member, Func<ProbeCounters, long> read) =>
        monitors.MonitorOf(member)?.Jobs.Sum(j => read(j.Counters)) ?? 0;
}
