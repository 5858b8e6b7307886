using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.Events;
using Portico.Runtime;

namespace Portico.Counters.History;

/// <summary>
/// Samples every counter of the <see cref="CounterCatalog"/> into the history log at the configured
/// interval, and writes every event of the <see cref="EventLog"/> there as it happens, on one background
/// loop that owns the <see cref="HistoryWriter"/>. The data path is never involved: a sample reads the
/// same fields a Prometheus scrape reads. Disk errors are logged and retried at the next sample; they
/// never stop Portico.
/// </summary>
public sealed partial class HistorySampler : BackgroundService
{
    private readonly IRuntimeSource _runtime;
    private readonly CounterCatalog _catalog;
    private readonly EventLog _events;
    private readonly TimeProvider _time;
    private readonly HistoryOptions _options;
    private readonly ISampleWatch[] _watches;
    private readonly ILogger<HistorySampler> _logger;
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<PorticoEvent> _onEvent;
    private readonly Action<RuntimeModel> _onRuntime;
    private HistorySettings _settings = HistorySettings.Default;
    private HistoryWriter? _writer;
    private bool _failedOpen;
    private long _samples;

    public HistorySampler(IRuntimeSource runtime, CounterCatalog catalog, EventLog events, TimeProvider time, HistoryOptions options,
        IEnumerable<ISampleWatch> watches, ILogger<HistorySampler> logger)
    {
        _runtime = runtime;
        _catalog = catalog;
        _events = events;
        _time = time;
        _options = options;
        _watches = [.. watches];
        _logger = logger;
        _onEvent = e => _queue.Writer.TryWrite(e);
        _onRuntime = OnRuntimeChanged;
    }

    /// <summary>The directory written to, or null when there is none to write to.</summary>
    public string? Directory => _settings.Directory ?? _options.Directory;

    /// <summary>The file being written, or null when the history log is off or failing.</summary>
    public string? CurrentPath => Volatile.Read(ref _writer)?.CurrentPath;

    /// <summary>Samples written by this process.</summary>
    public long Samples => Interlocked.Read(ref _samples);

    /// <summary>The last disk error, for <c>show ns counters</c>.</summary>
    public string? LastError { get; private set; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _events.Recorded += _onEvent;
        _runtime.Changed += _onRuntime;
        if (_runtime.Current.Config.Generation > 0)
        {
            OnRuntimeChanged(_runtime.Current);
        }
        else
        {
            _queue.Writer.TryWrite(_runtime.Current.Config.Counters);
        }
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _events.Recorded -= _onEvent;
        _runtime.Changed -= _onRuntime;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for a sample now, outside the interval (tests, and a last sample on stop).</summary>
    public void SampleSoon() => _queue.Writer.TryWrite(SampleRequest.Instance);

    private void OnRuntimeChanged(RuntimeModel model)
    {
        _queue.Writer.TryWrite(model.Config.Counters);

        // Into the history log only (number 0): the event log stays what show ns events always listed,
        // state changes of the running system, not every batch an operator applies.
        _queue.Writer.TryWrite(new PorticoEvent(0, _time.GetUtcNow(), CounterEvents.ConfigApplied, $"generation {model.Config.Generation}",
            $"{model.Vservers.Count} vserver(s), {model.Services.Count} service(s)"));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var next = DateTimeOffset.MaxValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            while (_queue.Reader.TryRead(out var item))
            {
                switch (item)
                {
                    case HistorySettings settings when Reconfigure(settings):
                        next = _settings.Interval > TimeSpan.Zero ? _time.GetUtcNow() : DateTimeOffset.MaxValue;
                        break;
                    case PorticoEvent e:
                        Write(w => w.WriteEvent(e));
                        break;
                    case SampleRequest:
                        Sample();
                        break;
                }
            }

            var now = _time.GetUtcNow();
            if (now >= next)
            {
                Sample();

                // Planned at a fixed rate: a late wake-up does not stretch every later interval.
                next += _settings.Interval;
                if (next <= now)
                {
                    next = now + _settings.Interval;
                }
            }

            await WaitAsync(next == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : next - _time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
        }

        // A last sample on the way out, so the file ends with the counters as they were at stop.
        Sample();
        while (_queue.Reader.TryRead(out var item))
        {
            if (item is PorticoEvent e)
            {
                Write(w => w.WriteEvent(e));
            }
        }

        _writer?.Dispose();
        _writer = null;
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        if (delay <= TimeSpan.Zero && delay != Timeout.InfiniteTimeSpan)
        {
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var read = _queue.Reader.WaitToReadAsync(cts.Token).AsTask();
        var timer = Task.Delay(delay, _time, cts.Token);
        await Task.WhenAny(read, timer).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(read, timer).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Applies new settings; false when nothing changed (a config change elsewhere), so sampling keeps its rhythm.</summary>
    private bool Reconfigure(HistorySettings settings)
    {
        var directory = settings.Directory ?? _options.Directory;
        var same = _writer is not null && settings == _settings;
        _settings = settings;
        if (same)
        {
            return false;
        }

        _writer?.Dispose();
        _writer = null;
        _failedOpen = false;
        if (directory is not null && settings.Interval > TimeSpan.Zero)
        {
            Open(directory);
        }

        return true;
    }

    private void Open(string directory)
    {
        try
        {
            _writer = new HistoryWriter(directory, _settings, _time);
            LastError = null;
            _failedOpen = false;
            Log.Opened(_logger, _writer.CurrentPath, _settings.Interval.TotalSeconds);
        }
        catch (Exception e)
        {
            // Whatever goes wrong with the disk, Portico keeps serving: the history log is not worth an outage.
            LastError = $"cannot write {directory}: {e.Message}";
            if (!_failedOpen)
            {
                Log.Failed(_logger, directory, e.Message);
            }

            _failedOpen = true;
        }
    }

    private void Sample()
    {
        if (_settings.Interval <= TimeSpan.Zero || Directory is not { } directory)
        {
            return;
        }

        if (_writer is null)
        {
            Open(directory);
        }

        foreach (var watch in _watches)
        {
            watch.Check();
        }

        var now = _time.GetUtcNow();
        var values = _catalog.ReadAll().ToList();
        if (Write(w => w.WriteSample(now, values)))
        {
            Interlocked.Increment(ref _samples);
        }
    }

    private bool Write(Action<HistoryWriter> write)
    {
        if (_writer is null)
        {
            return false;
        }

        try
        {
            write(_writer);
            return true;
        }
        catch (Exception e)
        {
            LastError = $"cannot write {_writer.CurrentPath}: {e.Message}";
            Log.Failed(_logger, _writer.CurrentPath, e.Message);
            _writer.Dispose();
            _writer = null;
            return false;
        }
    }

    private sealed class SampleRequest
    {
        public static readonly SampleRequest Instance = new();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Counters history log {Path}, a sample every {Seconds} s")]
        public static partial void Opened(ILogger logger, string path, double seconds);

        [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "Counters history log: cannot write {Path}: {Error}; retrying at the next sample")]
        public static partial void Failed(ILogger logger, string path, string error);
    }
}
