using System.Runtime.InteropServices;

namespace Portico.Capture.Wire;

/// <summary>
/// Lowers the calling thread to nice 19. A capture must never take CPU from the connections it watches: at
/// the lowest priority, the thread that drains libpcap's ring and writes files runs on what the data path
/// leaves idle; when that is not enough the ring fills and the kernel drops (and counts) packets instead.
/// Measured in docs/design/capture.md.
/// </summary>
internal static partial class CaptureThreadPriority
{
    private const int PrioProcess = 0;
    private const int SysGettid = 186; // x86_64

    /// <summary>The calling thread's kernel id, for <see cref="Normal(int)"/> from another thread.</summary>
    public static int CurrentThreadId() =>
        RuntimeInformation.ProcessArchitecture == Architecture.X64 ? (int)Syscall(SysGettid) : GetTid();

    /// <summary>Sets nice 19 on this thread (Linux applies nice per thread); false when the kernel refused.</summary>
    public static bool Lowest() => SetPriority(PrioProcess, CurrentThreadId(), 19) == 0;

    /// <summary>Back to nice 0 (only a process allowed to raise priorities can); false when the kernel refused.</summary>
    public static bool Normal() => Normal(CurrentThreadId());

    /// <summary>
    /// Thread <paramref name="tid"/> of this process back to nice 0: a stopping capture raises its thread before
    /// waiting for it, or on a busy machine the thread at nice 19 would not run to write its last packets.
    /// </summary>
    public static bool Normal(int tid) => tid > 0 && SetPriority(PrioProcess, tid, 0) == 0;

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long Syscall(long number);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
