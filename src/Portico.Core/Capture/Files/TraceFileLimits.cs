namespace Portico.Capture.Files;

/// <summary>When a trace moves to its next file, how many files it keeps, and what stops it.</summary>
/// <param name="FileCount">Files kept (<c>-nf</c>): opening one more deletes the oldest, as NetScaler cycles its files.</param>
/// <param name="FileDuration">A new file every so often (<c>-time</c>); null when <paramref name="FileBytes"/> rules.</param>
/// <param name="FileBytes">A new file when the current one would pass this size (<c>-fileSize</c>).</param>
/// <param name="MaxBytes">The size cap: the trace stops rather than let its files on disk pass this.</param>
/// <param name="MinFreeBytes">The trace stops rather than leave less free space than this on the file system.</param>
/// <param name="BytesPerSecond">The most the trace writes per second; packets beyond it are dropped and counted.</param>
internal sealed record TraceFileLimits(int FileCount, TimeSpan? FileDuration, long? FileBytes, long MaxBytes, long MinFreeBytes,
    long BytesPerSecond = long.MaxValue);
