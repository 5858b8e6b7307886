using System.Runtime.CompilerServices;

namespace Portico.Core.Tests;

/// <summary>
/// This test process runs dozens of Portico engines, backends and clients at once, where a real Portico runs
/// one engine. The thread pool's slow ramp-up (about one thread per half second past the minimum) then
/// delays continuations by hundreds of milliseconds on 2 cores, and 50-250 ms probe timeouts fire on
/// connects that succeeded. A higher floor keeps the tests measuring Portico, not the pool's warm-up.
/// </summary>
internal static class TestProcessSetup
{
    [ModuleInitializer]
    internal static void RaiseThreadFloor()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
