using Portico.Counters;

namespace Portico.Capture;

/// <summary>
/// The running captures' counters in the catalogue, so <c>/metrics</c> and the history log show a capture
/// that drops: packets and bytes written, and packets dropped (kernel ring full, tap queue full, or over
/// the write budget), one entity per capture name.
/// </summary>
internal sealed class CaptureCounterSet(TraceManager traces) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare() =>
        new CounterGroup<TraceSession>("capture", "trace", () => traces.List().Where(s => s.Running), s => s.Name)
            .Total("packets_written", "{packet}", "Packets written to the capture's files (start nstrace, portico trace)", s => s.Files.Packets)
            .Total("bytes_written", "By", "Packet bytes written to the capture's files, rotated-away files included", s => s.Files.BytesWritten)
            .Total("dropped", "{packet}", "Packets the capture could not keep (wire: the kernel's ring was full; tap: its queue was full); the traffic went on",
                s => s.Source.Dropped)
            .Definitions;
}
