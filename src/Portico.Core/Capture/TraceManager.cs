using System.Globalization;
using Microsoft.Extensions.Logging;
using PacketDotNet;
using Portico.Capture.Files;
using Portico.Capture.Filters;
using Portico.Capture.Tap;
using Portico.Capture.Wire;
using Portico.Runtime;

namespace Portico.Capture;

/// <summary>
/// The captures of this process. They are not part of the config: a capture runs until <c>stop nstrace</c>,
/// its own limits or the end of the process, whatever config changes or reloads happen meanwhile; a change
/// only re-expands the names in its filter (a member bound to the vserver joins the capture). Several can
/// run at once, each with its own name and files.
/// </summary>
public sealed partial class TraceManager : IDisposable
{
    private const int KeptStopped = 10;

    private readonly TraceSettings _settings;
    private readonly ConnectionTaps _taps;
    private readonly TimeProvider _time;
    private readonly ILogger<TraceManager> _logger;
    private readonly Func<RuntimeModel> _model;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TraceSession> _running = new(StringComparer.Ordinal);
    private readonly List<TraceSession> _stopped = [];
    private readonly ITimer _ticker;
    private int _next;

    public TraceManager(TraceSettings settings, ConnectionTaps taps, TimeProvider time, ILogger<TraceManager> logger, Func<RuntimeModel> model)
    {
        _settings = settings;
        _taps = taps;
        _time = time;
        _logger = logger;
        _model = model;
        _ticker = time.CreateTimer(_ => Tick(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    public TraceSettings Settings => _settings;

    /// <summary>Names of the captures running now.</summary>
    public IReadOnlyList<string> Running
    {
        get
        {
            lock (_lock)
            {
                return [.. _running.Keys];
            }
        }
    }

    /// <summary>Starts a capture; throws <see cref="TraceStartException"/> naming the option at fault and the fix.</summary>
    internal TraceSession Start(TraceRequest request)
    {
        string name;
        lock (_lock)
        {
            name = request.Name ?? NextName();
            if (_running.ContainsKey(name))
            {
                throw new TraceStartException($"a capture named '{name}' is already running; stop it (stop nstrace -fileName {name}) or choose another -fileName", "fileName");
            }

            // Reserve the name while devices open, so two starts cannot both take it.
            _running[name] = null!;
        }

        try
        {
            var session = Create(name, request);
            lock (_lock)
            {
                _running[name] = session;
            }

            session.Files.LimitReached += reason => ThreadPool.QueueUserWorkItem(_ => Stop(session, reason));
            session.Source.Start();
            Log.Started(_logger, name, session.Mode, session.Source.Where, session.Filter.Bpf ?? "(none)");
            return session;
        }
        catch
        {
            lock (_lock)
            {
                _running.Remove(name);
            }

            throw;
        }
    }

    /// <summary>Stops one capture, or all when <paramref name="name"/> is null; returns those stopped.</summary>
    internal IReadOnlyList<TraceSession> Stop(string? name, string reason)
    {
        List<TraceSession> sessions;
        lock (_lock)
        {
            sessions = [.. _running.Values.Where(s => s is not null && (name is null || s.Name == name))];
        }

        foreach (var s in sessions)
        {
            Stop(s, reason);
        }

        return sessions;
    }

    /// <summary>Running captures first, then the last few stopped ones (so a capture that stopped on its own says why).</summary>
    internal IReadOnlyList<TraceSession> List()
    {
        lock (_lock)
        {
            return [.. _running.Values.Where(s => s is not null).OrderBy(s => s.Started), .. _stopped.AsEnumerable().Reverse()];
        }
    }

    /// <summary>The config changed: names in filters are expanded again; a capture whose names vanished keeps its filter.</summary>
    public void OnRuntimeChanged(RuntimeModel model)
    {
        foreach (var session in List().Where(s => s.Running && s.Filter.HasNames))
        {
            try
            {
                var filter = TraceFilterExpander.Expand(session.Request.Filter, session.Request.Link, model);
                if (filter.Bpf != session.Filter.Bpf)
                {
                    session.UpdateFilter(filter);
                    Log.FilterUpdated(_logger, session.Name, filter.Bpf ?? "(none)");
                }

                session.Note = null;
            }
            catch (Exception e) when (e is TraceFilterException or TraceStartException)
            {
                session.Note = $"{e.Message}; the capture keeps its last filter";
            }
        }
    }

    public void Dispose()
    {
        _ticker.Dispose();
        Stop(name: null, "Portico stopped");
    }

    private TraceSession Create(string name, TraceRequest request)
    {
        TraceFilter filter;
        try
        {
            filter = TraceFilterExpander.Expand(request.Filter, request.Link, _model());
        }
        catch (TraceFilterException e)
        {
            throw new TraceStartException(e.Message, "filter");
        }

        var limits = new TraceFileLimits(request.FileCount, request.FileBytes is null ? TimeSpan.FromSeconds(request.FileSeconds) : null,
            request.FileBytes, request.MaxBytes ?? _settings.DefaultMaxBytes, _settings.MinFreeBytes, _settings.MaxWriteBytesPerSecond);
        var format = request.EffectiveFormat;
        if (request.SslPlain)
        {
            if (request.Interfaces.Count > 0)
            {
                throw new TraceStartException("-interface does not apply to -mode SSLPLAIN: the decrypted tap reads Portico's connections, not an interface", "interface");
            }

            var files = NewFiles(name, format, [TapCapture.Interface(request.Snaplen)], TapCapture.Disclaimer, limits);
            try
            {
                return Open(name, request, filter, new TapCapture(_taps, files, filter, request.Link, request.Snaplen, _logger), files);
            }
            catch
            {
                files.Stop("start failed");
                throw;
            }
        }

        if (filter.Bpf is not null && LibPcap.Check(filter.Bpf, LinkLayers.Ethernet) is { } error)
        {
            throw new TraceStartException($"the filter does not compile: {error} (expanded to: {filter.Bpf})", "filter");
        }

        if (request.CaptureSslKeys && _settings.KeyLogFile is null)
        {
            throw new TraceStartException("-capsslkeys needs Portico's TLS secrets, and key logging is off: start Portico with "
                + "'portico run --tls-keylog FILE' (the file holds every session key: keep it private)", "capsslkeys");
        }

        var interfaces = CaptureInterfaces.Choose(request.Interfaces, filter);
        var devices = WireCapture.OpenDevices(interfaces, request.Snaplen, filter.Bpf);
        var described = WireCapture.Describe(devices, request.Snaplen);
        if (format == TraceFormat.Pcap && described.Select(d => d.LinkType).Distinct().Count() > 1)
        {
            WireCapture.Close(devices);
            throw new TraceStartException($"a PCAP file holds one link type, and {string.Join(", ", described.Select(d => $"{d.Name} ({d.LinkType})"))} differ: "
                + "use -traceformat PCAPNG, or -interface any", "interface");
        }

        var wireFiles = NewFiles(name, format, described, null, limits);
        var capture = WireCapture.Create(devices, wireFiles, _logger);
        try
        {
            return Open(name, request, filter, capture, wireFiles);
        }
        catch
        {
            capture.Stop();
            throw;
        }
    }

    private TraceFiles NewFiles(string name, TraceFormat format, IReadOnlyList<TraceInterface> interfaces, string? comment, TraceFileLimits limits) =>
        new(_settings.Directory, name, format, interfaces, comment, limits, _time);

    private TraceSession Open(string name, TraceRequest request, TraceFilter filter, ITraceSource source, TraceFiles files)
    {
        try
        {
            files.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TraceStartException($"cannot write trace files to {_settings.Directory}: {e.Message}; "
                + "give Portico another directory with 'portico run --trace-dir DIR' (or $PORTICO_TRACE_DIR)");
        }

        return new TraceSession(name, request, filter, source, files, _time.GetUtcNow())
        {
            KeyLog = request.CaptureSslKeys && _settings.KeyLogFile is { } keyLog ? new KeyLogTail(keyLog) : null,
        };
    }

    private void Stop(TraceSession session, string reason)
    {
        // The last handshakes' secrets, so the file can decrypt everything it holds.
        if (session.Running)
        {
            FlushSecrets(session);
        }

        if (!session.Stop(reason, _time.GetUtcNow()))
        {
            return;
        }

        lock (_lock)
        {
            if (_running.TryGetValue(session.Name, out var s) && ReferenceEquals(s, session))
            {
                _running.Remove(session.Name);
            }

            _stopped.Add(session);
            if (_stopped.Count > KeptStopped)
            {
                _stopped.RemoveAt(0);
            }
        }

        Log.Stopped(_logger, session.Name, session.StopReason!, session.Files.Packets, session.Source.Dropped);
    }

    private string NextName()
    {
        string name;
        do
        {
            name = string.Create(CultureInfo.InvariantCulture, $"trace{++_next}");
        }
        while (_running.ContainsKey(name));

        return name;
    }

    private void Tick()
    {
        // Four times a second for the life of the process: with no capture running, it costs one look.
        TraceSession[] running;
        lock (_lock)
        {
            if (_running.Count == 0)
            {
                return;
            }

            running = [.. _running.Values.Where(s => s is not null)];
        }

        foreach (var session in running)
        {
            if (session.Running)
            {
                FlushSecrets(session);
                session.Files.Tick();
            }
        }
    }

    private static void FlushSecrets(TraceSession session)
    {
        if (session.KeyLog?.Poll() is { } secrets)
        {
            session.Files.AddSecrets(secrets);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Trace {Name} started ({Mode} on {Where}), filter {Filter}")]
        public static partial void Started(ILogger logger, string name, string mode, string where, string filter);

        [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "Trace {Name} stopped: {Reason}; {Packets} packet(s) written, {Dropped} dropped")]
        public static partial void Stopped(ILogger logger, string name, string reason, long packets, long dropped);

        [LoggerMessage(EventId = 802, Level = LogLevel.Information, Message = "Trace {Name} follows the new config: filter {Filter}")]
        public static partial void FilterUpdated(ILogger logger, string name, string filter);
    }
}
