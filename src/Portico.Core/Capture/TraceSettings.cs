namespace Portico.Capture;

/// <summary>
/// Process-wide settings of packet captures: where trace files go and the limits that keep a capture from
/// filling the disk. <c>portico run --trace-dir</c> (or <c>$PORTICO_TRACE_DIR</c>) sets the directory.
/// </summary>
public sealed record TraceSettings
{
    /// <summary>Where trace files are written (NetScaler writes to <c>/var/nstrace</c>).</summary>
    public string Directory { get; init; } = DefaultDirectory;

    /// <summary>The size cap of one capture when <c>-maxSize</c> is not given: 1 GiB of files on disk.</summary>
    public long DefaultMaxBytes { get; init; } = 1L << 30;

    /// <summary>
    /// The TLS key log .NET writes (<c>portico run --tls-keylog FILE</c>); null when key logging is off. A capture
    /// with <c>-capsslkeys ENABLED</c> copies the lines added while it runs into its pcapng files.
    /// </summary>
    public string? KeyLogFile { get; init; }

    /// <summary>
    /// The bytes per second one capture writes at most (<c>portico run --trace-rate-limit MB</c>): beyond it packets
    /// are dropped and counted. Default 64 MB/s, what the data path can spare on a small box (docs/design/capture.md).
    /// </summary>
    public long MaxWriteBytesPerSecond { get; init; } = 64L << 20;

    /// <summary>A capture stops before the file system holding the trace directory has less free space than this.</summary>
    public long MinFreeBytes { get; init; } = 256L << 20;

    /// <summary><c>$PORTICO_TRACE_DIR</c>, else <c>/var/portico/trace</c> for root, else the user's state directory.</summary>
    public static string DefaultDirectory => Utilities.StateDirectory.Default("PORTICO_TRACE_DIR", "/var/portico/trace", "trace");
}
