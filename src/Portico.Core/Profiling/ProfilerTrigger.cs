using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.Counters;
using Portico.Counters.History;
using Portico.Events;
using Portico.Runtime;

namespace Portico.Profiling;

/// <summary>
/// Watches <see cref="CpuUsage"/> once a second and, when <c>set ns profiler -cpuThreshold</c> is exceeded
/// for the sustain time, profiles the process itself through its own diagnostics socket (EventPipe) into
/// <c>profile-&lt;time&gt;.nettrace</c> plus a text report of the hottest methods in the history log
/// directory, then records <c>PROFILE_CAPTURED</c>. One capture at a time, at most one per period.
/// </summary>
public sealed partial class ProfilerTrigger(
    CpuUsage cpu, IRuntimeSource runtime, HistorySampler history, EventLog events, TimeProvider time, ILogger<ProfilerTrigger> logger)
    : IHostedService
{
    private readonly ConcurrentQueue<string> _captures = new();
    private DateTimeOffset _aboveSince = DateTimeOffset.MaxValue;
    private DateTimeOffset _lastCapture = DateTimeOffset.MinValue;
    private int _capturing;

    /// <summary>Where captures go: the history log directory.</summary>
    public string? Directory => history.Directory;

    /// <summary>Files written by this process's captures, oldest first.</summary>
    public IReadOnlyCollection<string> Captures => _captures;

    /// <summary>The capture in progress, for tests to wait on.</summary>
    internal Task? Current { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        cpu.Measured += OnMeasured;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        cpu.Measured -= OnMeasured;
        if (Current is { } running)
        {
            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal void OnMeasured(int tenths)
    {
        var settings = runtime.Current.Config.Profiler;
        var now = time.GetUtcNow();
        if (settings.CpuThreshold == 0 || tenths <= settings.CpuThreshold)
        {
            _aboveSince = DateTimeOffset.MaxValue;
            return;
        }

        if (_aboveSince == DateTimeOffset.MaxValue)
        {
            _aboveSince = now;
        }

        if (now - _aboveSince < settings.Sustain || now - _lastCapture < settings.Period || Directory is not { } directory
            || Interlocked.CompareExchange(ref _capturing, 1, 0) != 0)
        {
            return;
        }

        _lastCapture = now;
        Current = Task.Run(() => CaptureAsync(directory, settings, tenths, now));
    }

    private async Task CaptureAsync(string directory, ProfilerSettings settings, int tenths, DateTimeOffset at)
    {
        var name = $"profile-{at.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
        var trace = Path.Combine(directory, name + ".nettrace");
        var report = Path.Combine(directory, name + ".txt");
        try
        {
            Log.Capturing(logger, tenths, settings.CpuThreshold, trace);
            System.IO.Directory.CreateDirectory(directory);
            await CpuProfiler.CaptureAsync(Environment.ProcessId, settings.Duration, trace).ConfigureAwait(false);
            var text = ProfileReport.Analyze(trace).Format();
            await File.WriteAllTextAsync(report,
                $"CPU profile of Portico (pid {Environment.ProcessId}) at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: cpu_use {tenths} above {settings.CpuThreshold}\n\n{text}")
                .ConfigureAwait(false);
            // The event first: whoever sees the capture listed also finds it in the event log.
            events.Record(ProfilerEvents.ProfileCaptured, "cpu_use", $"{tenths} above {settings.CpuThreshold}: {report} (raw capture {trace})");
            _captures.Enqueue(report);
        }
        catch (Exception e)
        {
            // Profiling is a diagnosis aid: a failure is reported, never allowed to hurt the process.
            events.Record(ProfilerEvents.ProfileFailed, "cpu_use", $"capture into {trace} failed: {e.Message}");
            Log.Failed(logger, e.Message);
        }
        finally
        {
            Volatile.Write(ref _capturing, 0);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 720, Level = LogLevel.Warning, Message = "cpu_use {Tenths} above {Threshold}: capturing a CPU profile into {Path}")]
        public static partial void Capturing(ILogger logger, int tenths, int threshold, string path);

        [LoggerMessage(EventId = 721, Level = LogLevel.Warning, Message = "CPU profile capture failed: {Error}")]
        public static partial void Failed(ILogger logger, string error);
    }
}
