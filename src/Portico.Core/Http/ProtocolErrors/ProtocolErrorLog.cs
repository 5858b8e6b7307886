using System.Globalization;
using Microsoft.Extensions.Logging;
using Portico.Runtime;

namespace Portico.Http.ProtocolErrors;

/// <summary>
/// Client protocol errors (a broken chunked body, a CONNECT, a request Kestrel could not parse): counted on
/// the vserver and logged as one short line, at most <see cref="LinesPerWindow"/> lines per vserver in a
/// <see cref="Window"/>; the rest of the window is summed up in one "suppressed N similar" line. A client
/// decides how many bad requests it sends, so it must not decide how many bytes reach the log: 1,000 bad
/// requests cost a handful of lines, whatever their rate.
/// </summary>
internal sealed partial class ProtocolErrorLog(ILogger<ProtocolErrorLog> logger, TimeProvider time)
{
    /// <summary>Lines logged per vserver per window before the rest are only counted.</summary>
    public const int LinesPerWindow = 5;

    /// <summary>How long a window lasts.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, WindowState> _windows = new(StringComparer.Ordinal);

    /// <summary>Counts a client protocol error on <paramref name="vserver"/> and logs it, unless this window has logged enough.</summary>
    /// <param name="client">Who: the client's address, or Kestrel's connection id where the address is not known.</param>
    /// <param name="reason">What was wrong, short and without a stack trace ("invalid chunk size", "CONNECT not supported").</param>
    public void Report(VserverRuntime vserver, string client, string reason)
    {
        Interlocked.Increment(ref vserver.Counters.ClientProtocolErrors);
        var now = time.GetUtcNow();
        bool log;
        (string Vserver, long Suppressed, TimeSpan Over)? summary = null;
        lock (_windows)
        {
            if (!_windows.TryGetValue(vserver.Name, out var window) || now - window.Start >= Window)
            {
                summary = window is { Suppressed: > 0 } ? (vserver.Name, window.Suppressed, now - window.Start) : null;
                window?.Timer?.Dispose();
                window = new WindowState(now);
                _windows[vserver.Name] = window;
            }

            log = window.Logged < LinesPerWindow;
            if (log)
            {
                window.Logged++;
            }
            else
            {
                window.Suppressed++;
                window.Timer ??= time.CreateTimer(_ => Flush(vserver.Name), null, Window - (now - window.Start), Timeout.InfiniteTimeSpan);
            }
        }

        if (summary is { } s)
        {
            Suppressed(s.Vserver, s.Suppressed, s.Over);
        }

        if (log)
        {
            Log.ProtocolError(logger, vserver.Name, client, reason);
        }
    }

    /// <summary>At the end of a window with suppressed lines: say how many, even if no error follows.</summary>
    private void Flush(string vserver)
    {
        long suppressed;
        TimeSpan over;
        lock (_windows)
        {
            if (!_windows.TryGetValue(vserver, out var window) || window.Suppressed == 0)
            {
                return;
            }

            suppressed = window.Suppressed;
            over = time.GetUtcNow() - window.Start;
            window.Timer?.Dispose();
            _windows.Remove(vserver);
        }

        Suppressed(vserver, suppressed, over);
    }

    private void Suppressed(string vserver, long count, TimeSpan over) =>
        Log.Suppressed(logger, vserver, count, Math.Round(over.TotalSeconds).ToString(CultureInfo.InvariantCulture));

    private sealed class WindowState(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;

        public int Logged { get; set; }

        public long Suppressed { get; set; }

        public ITimer? Timer { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "lb vserver {Vserver}: client protocol error from {Client}: {Reason}")]
        public static partial void ProtocolError(ILogger logger, string vserver, string client, string reason);

        [LoggerMessage(EventId = 421, Level = LogLevel.Information,
            Message = "lb vserver {Vserver}: suppressed {Count} similar client protocol errors in the last {Seconds} s (all counted: stat lb vserver {Vserver})")]
        public static partial void Suppressed(ILogger logger, string vserver, long count, string seconds);
    }
}
