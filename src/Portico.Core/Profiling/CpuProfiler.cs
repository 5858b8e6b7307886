using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace Portico.Profiling;

/// <summary>
/// Samples a .NET process's CPU through EventPipe, the way <c>dotnet-trace --profile cpu-sampling</c>
/// does: the runtime's sample profiler (every managed thread's stack each millisecond) plus the runtime
/// events that name JIT-compiled methods, written to a <c>.nettrace</c> file. It attaches through the
/// process's diagnostics socket, so it works on a running Portico (or on itself) without restarting it.
/// </summary>
public static class CpuProfiler
{
    private const string SampleProfiler = "Microsoft-DotNETCore-SampleProfiler";
    private const string Runtime = "Microsoft-Windows-DotNETRuntime";

    // dotnet-trace's cpu-sampling runtime keywords: GC, loader, JIT, NGen, exceptions, stacks and the rest
    // that let method addresses be named afterwards.
    private const long RuntimeKeywords = 0x00000014C14FCCBD;

    /// <summary>Captures <paramref name="duration"/> of CPU samples of process <paramref name="pid"/> into <paramref name="path"/>.</summary>
    public static async Task CaptureAsync(int pid, TimeSpan duration, string path, CancellationToken cancellationToken = default)
    {
        var client = new DiagnosticsClient(pid);
        EventPipeProvider[] providers =
        [
            new(SampleProfiler, EventLevel.Informational, 0xF00000000000),
            new(Runtime, EventLevel.Informational, RuntimeKeywords),
        ];

        using var session = await client.StartEventPipeSessionAsync(providers, requestRundown: true, circularBufferMB: 256, cancellationToken).ConfigureAwait(false);
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        await using (file.ConfigureAwait(false))
        {
            var copy = session.EventStream.CopyToAsync(file, CancellationToken.None);
            try
            {
                await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Stopping makes the runtime send the rundown (method names) and end the stream.
                await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await copy.ConfigureAwait(false);
            }
        }
    }
}
