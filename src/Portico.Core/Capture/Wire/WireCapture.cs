using Microsoft.Extensions.Logging;
using Portico.Capture.Files;
using Portico.Capture.Filters;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Portico.Capture.Wire;

/// <summary>
/// A capture of real packets with libpcap on one or more interfaces, written to the capture's files by one
/// thread per interface. Nothing here touches the data path: the kernel copies matching packets into
/// libpcap's ring and, when the ring is full because the files cannot keep up, drops them and counts the
/// drops (reported by <c>show nstrace</c>); Portico's connections never wait for the capture.
/// </summary>
internal sealed partial class WireCapture : ITraceSource
{
    /// <summary>The kernel ring per interface: bursts up to this size are kept while the writer catches up.</summary>
    private const int RingBytes = 32 << 20;

    /// <summary>PCAP_ERROR_BREAK: pcap_next_ex returned because of pcap_breakloop.</summary>
    private const int BreakLoop = -2;

    private readonly LibPcapLiveDevice[] _devices;
    private readonly CaptureThread[] _threads;
    private readonly long[] _dropped;
    private readonly Lock _statsLock = new();
    private bool _closed;
    private readonly TraceFiles _files;
    private readonly ILogger _logger;
    private readonly int[] _appliedVersion;
    private volatile FilterUpdate? _pendingFilter;
    private volatile bool _stopping;
    private int _filterVersion;

    private WireCapture(LibPcapLiveDevice[] devices, TraceFiles files, ILogger logger)
    {
        _devices = devices;
        _files = files;
        _logger = logger;
        _dropped = new long[devices.Length];
        _appliedVersion = new int[devices.Length];
        _threads = [.. devices.Select((d, i) => new CaptureThread($"portico-trace-{d.Name}", () => Loop(i)))];
    }

    /// <summary>Opens every interface with the filter; throws <see cref="TraceStartException"/> with the fix when one cannot be opened.</summary>
    public static IReadOnlyList<LibPcapLiveDevice> OpenDevices(IReadOnlyList<string> names, int snaplen, string? bpf)
    {
        var opened = new List<LibPcapLiveDevice>();
        try
        {
            var list = LibPcapLiveDeviceList.New();
            foreach (var name in names)
            {
                var device = list.FirstOrDefault(d => d.Name == name)
                    ?? throw new TraceStartException($"no interface named '{name}' can be captured on", "interface");
                try
                {
                    device.Open(new DeviceConfiguration { Mode = DeviceModes.None, Snaplen = snaplen, ReadTimeout = 100, BufferSize = RingBytes });
                }
                catch (PcapException e) when (LibPcap.IsPermissionDenied(e))
                {
                    throw new TraceStartException(LibPcap.PermissionHint(name));
                }
                catch (PcapException e)
                {
                    throw new TraceStartException($"cannot capture on {name}: {e.Message}", "interface");
                }

                opened.Add(device);
                if (bpf is not null)
                {
                    try
                    {
                        device.Filter = bpf;
                    }
                    catch (PcapException e)
                    {
                        throw new TraceStartException($"the filter does not compile: {e.Message}", "filter");
                    }
                }
            }

            return opened;
        }
        catch (Exception e) when (LibPcap.IsMissingLibrary(e))
        {
            Close(opened);
            throw new TraceStartException(LibPcap.InstallHint);
        }
        catch
        {
            Close(opened);
            throw;
        }
    }

    /// <summary>The interfaces as the files describe them.</summary>
    public static IReadOnlyList<TraceInterface> Describe(IReadOnlyList<LibPcapLiveDevice> devices, int snaplen) =>
        [.. devices.Select(d => new TraceInterface(d.Name, (int)d.LinkType, snaplen, d.Description))];

    /// <summary>A capture on devices opened (with their filter) by <see cref="OpenDevices"/>.</summary>
    public static WireCapture Create(IReadOnlyList<LibPcapLiveDevice> devices, TraceFiles files, ILogger logger) =>
        new([.. devices], files, logger);

    public string Where => string.Join(", ", _devices.Select(d => d.Name));

    /// <summary>
    /// Packets the kernel dropped, read from libpcap when asked (show nstrace, the counters), not by the
    /// capture threads: at nice 19 on a busy machine they may not run for a while, and the count must not wait.
    /// </summary>
    public long Dropped
    {
        get
        {
            lock (_statsLock)
            {
                if (!_closed)
                {
                    RefreshDrops();
                }

                return _dropped.Sum();
            }
        }
    }

    public void Start()
    {
        foreach (var t in _threads)
        {
            t.Start();
        }
    }

    public void Stop()
    {
        _stopping = true;
        for (var i = 0; i < _threads.Length; i++)
        {
            if (_threads[i].IsAlive)
            {
                PcapBreak.Wake(_devices[i]);
                if (!_threads[i].Join(TimeSpan.FromSeconds(10)))
                {
                    Log.StopSlow(_logger, _devices[i].Name);
                }
            }
        }

        lock (_statsLock)
        {
            RefreshDrops();
            _closed = true;
            Close(_devices);
        }
    }

    /// <summary>
    /// Applies a new filter before returning (bounded at 3 s, for capture threads starved at nice 19), so traffic that follows a config change is
    /// captured under the new filter. Each capture thread sets it on its own handle (libpcap handles are not
    /// shared across threads); pcap_breakloop wakes a thread waiting for packets.
    /// </summary>
    public void UpdateFilter(TraceFilter filter)
    {
        var update = new FilterUpdate(filter.Bpf ?? "", Interlocked.Increment(ref _filterVersion));
        _pendingFilter = update;
        var deadline = Environment.TickCount64 + 3000;
        for (var i = 0; i < _devices.Length; i++)
        {
            PcapBreak.Wake(_devices[i]);
            while (_threads[i].IsAlive && Volatile.Read(ref _appliedVersion[i]) < update.Version && Environment.TickCount64 < deadline)
            {
                Thread.Sleep(5);
            }
        }
    }

    public void Dispose() => Stop();

    private void Loop(int index)
    {
        var device = _devices[index];
        var applied = _pendingFilter;
        var header = IntPtr.Zero;
        var data = IntPtr.Zero;
        try
        {
            while (!_stopping)
            {
                if (_pendingFilter is { } next && !ReferenceEquals(next, applied))
                {
                    applied = next;
                    device.Filter = next.Bpf;
                    Volatile.Write(ref _appliedVersion[index], next.Version);
                }

                var rc = device.GetNextPacketPointers(ref header, ref data);
                if (rc == BreakLoop && !_stopping)
                {
                    // Woken by UpdateFilter: apply the new filter at the top of the loop.
                    continue;
                }

                if (rc == 1)
                {
                    if (!WriteRecord(index, header, data))
                    {
                        return;
                    }
                }
                else if (rc < 0 && _stopping)
                {
                    break;
                }
                else if (rc < 0)
                {
                    Log.CaptureFailed(_logger, device.Name, device.LastError);
                    _files.Stop($"capture on {device.Name} failed: {device.LastError}");
                    return;
                }
            }

            Drain(device, index);
        }
        catch (Exception e) when (e is PcapException or ObjectDisposedException)
        {
            Log.CaptureFailed(_logger, device.Name, e.Message);
            _files.Stop($"capture on {device.Name} failed: {e.Message}");
        }
    }

    /// <summary>
    /// What the stopped capture still holds in the ring was captured before the stop: write it (at normal
    /// priority where the process may raise it, bounded at 2 s), so a file ends with the last packets seen.
    /// </summary>
    private void Drain(LibPcapLiveDevice device, int index)
    {
        CaptureThreadPriority.Normal();
        var header = IntPtr.Zero;
        var data = IntPtr.Zero;
        var deadline = Environment.TickCount64 + 2000;
        try
        {
            device.NonBlockingMode = true;
            while (Environment.TickCount64 < deadline && device.GetNextPacketPointers(ref header, ref data) == 1)
            {
                if (!WriteRecord(index, header, data))
                {
                    return;
                }
            }
        }
        catch (PcapException)
        {
            // The handle could not switch mode: what was not read is lost with it.
        }
    }

    /// <summary>Writes one packet libpcap returned; false when the files stopped taking more.</summary>
    private unsafe bool WriteRecord(int index, IntPtr header, IntPtr data)
    {
        // struct pcap_pkthdr on 64-bit Linux: struct timeval (two longs), caplen, len.
        var h = (long*)header;
        var caplen = *(int*)(h + 2);
        var length = *((int*)(h + 2) + 1);
        return _files.Write(index, (h[0] * 1_000_000) + h[1], new ReadOnlySpan<byte>((void*)data, caplen), length);
    }

    /// <summary>Reads the kernel's drop counts; callers hold <see cref="_statsLock"/>, so libpcap's totals are updated by one thread at a time.</summary>
    private void RefreshDrops()
    {
        for (var i = 0; i < _devices.Length; i++)
        {
            if (PcapStats.Dropped(_devices[i]) is { } dropped)
            {
                _dropped[i] = dropped;
            }
        }
    }

    /// <summary>Closes devices opened by <see cref="OpenDevices"/> that no capture will own.</summary>
    public static void Close(IEnumerable<LibPcapLiveDevice> devices)
    {
        foreach (var d in devices)
        {
            try
            {
                d.Close();
            }
            catch (PcapException)
            {
            }
        }
    }

    private sealed record FilterUpdate(string Bpf, int Version);

    private static partial class Log
    {
        [LoggerMessage(EventId = 810, Level = LogLevel.Warning, Message = "Capture on {Device} failed: {Error}")]
        public static partial void CaptureFailed(ILogger logger, string device, string error);

        [LoggerMessage(EventId = 811, Level = LogLevel.Warning, Message = "The capture thread of {Device} did not stop within 10 s")]
        public static partial void StopSlow(ILogger logger, string device);
    }
}
