using System.Globalization;
using Portico.Capture.Files;
using Portico.Capture.Filters;

namespace Portico.Capture;

/// <summary>One capture, running or stopped: what was asked, where packets come from, the files they go to.</summary>
internal sealed class TraceSession
{
    private readonly Lock _lock = new();
    private volatile TraceFilter _filter;

    public TraceSession(string name, TraceRequest request, TraceFilter filter, ITraceSource source, TraceFiles files, DateTimeOffset started)
    {
        Name = name;
        Request = request;
        _filter = filter;
        Source = source;
        Files = files;
        Started = started;
    }

    public string Name { get; }

    public TraceRequest Request { get; }

    public ITraceSource Source { get; }

    public TraceFiles Files { get; }

    public DateTimeOffset Started { get; }

    /// <summary>With <c>-capsslkeys ENABLED</c>: the key log whose new lines go into the files.</summary>
    public KeyLogTail? KeyLog { get; init; }

    /// <summary>The filter as last expanded (names follow config changes).</summary>
    public TraceFilter Filter => _filter;

    /// <summary>Why the capture ended; null while it runs.</summary>
    public string? StopReason { get; private set; }

    public DateTimeOffset? Stopped { get; private set; }

    /// <summary>Something the operator should know (a named vserver was removed and the last filter is kept).</summary>
    public string? Note { get; set; }

    public bool Running => StopReason is null;

    /// <summary>PCAP or PCAPNG, and the mode, for show nstrace.</summary>
    public string Mode => Request.SslPlain ? "SSLPLAIN" : "WIRE";

    public void UpdateFilter(TraceFilter filter)
    {
        _filter = filter;
        Source.UpdateFilter(filter);
    }

    /// <summary>Stops the source, then closes the files; the first reason given is kept.</summary>
    public bool Stop(string reason, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (StopReason is not null)
            {
                return false;
            }

            StopReason = Files.StopReason ?? reason;
            Stopped = now;
        }

        Source.Stop();
        Files.Stop(reason);
        return true;
    }

    /// <summary>A one-paragraph account: packets, drops, files.</summary>
    public string Summary()
    {
        var paths = Files.Paths;
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{Files.Packets} packet(s) written, {Source.Dropped} dropped, {paths.Count} file(s), {Files.BytesOnDisk / (1024.0 * 1024):0.##} MB"),
        };
        lines.AddRange(paths.Select(p => "  " + p));
        return string.Join('\n', lines) + "\n";
    }
}
