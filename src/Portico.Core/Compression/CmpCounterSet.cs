using Portico.Counters;
using Portico.Runtime;

namespace Portico.Compression;

/// <summary>Compression's counters in the catalogue (<c>/metrics</c>, <c>show ns counters</c>, the history log).</summary>
internal sealed class CmpCounterSet(CmpRuntime cmp, IRuntimeSource runtime) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare()
    {
        var s = cmp.Stats;
        yield return Global("portico.cmp.requests", "{response}", "Responses compressed", () => Interlocked.Read(ref s.Requests));
        yield return Global("portico.cmp.bytes_in", "By", "Body bytes the members sent for compressed responses", () => Interlocked.Read(ref s.BytesIn));
        yield return Global("portico.cmp.bytes_out", "By", "Compressed body bytes sent to clients", () => Interlocked.Read(ref s.BytesOut));
        yield return Global("portico.cmp.bypassed_cpu", "{response}", "Responses left uncompressed because CPU use was above -cmpBypassPct",
            () => Interlocked.Read(ref s.BypassedCpu));
        yield return Global("portico.cmp.bypassed_memory", "{response}", "Responses left uncompressed because the encoders' memory cap was reached",
            () => Interlocked.Read(ref s.BypassedMemory));
        yield return new CounterDefinition("portico.cmp.coded", "{response}", CounterKind.Total, "coding", "Responses compressed, per coding (br, zstd, gzip, deflate)",
            () =>
            [
                new CounterReading("br", Interlocked.Read(ref s.Brotli)), new CounterReading("zstd", Interlocked.Read(ref s.Zstd)),
                new CounterReading("gzip", Interlocked.Read(ref s.Gzip)), new CounterReading("deflate", Interlocked.Read(ref s.Deflate)),
            ]);
        yield return new CounterDefinition("portico.cmp.encoder_memory", "By", CounterKind.Gauge, null, "Memory charged to live encoders",
            () => [new CounterReading("", cmp.Budget.Used)]);
        foreach (var d in new CounterGroup<string>("cmppolicy", "policy",
                () => runtime.Current.Config.CmpPolicies.Select(p => p.Name).Concat(CmpBuiltIns.All.Select(p => p.Name)), p => p)
            .Total("hits", "{response}", "Responses the compression policy's rule matched", p => Interlocked.Read(ref cmp.Counters.Of(p).Hits))
            .Total("undef_hits", "{response}", "Responses for which the rule was UNDEF (it did not match)", p => Interlocked.Read(ref cmp.Counters.Of(p).Undefined))
            .Definitions)
        {
            yield return d;
        }
    }

    private static CounterDefinition Global(string name, string unit, string description, Func<long> read) =>
        new(name, unit, CounterKind.Total, null, description, () => [new CounterReading("", read())]);
}
