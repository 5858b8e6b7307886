using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Portico.Configuration;
using Portico.Events;

namespace Portico.Syslog;

/// <summary>
/// Sends every event of the event log to the syslog server of <c>set audit syslogParams</c>, one UDP datagram each.
/// The event log's <see cref="EventLog.Recorded"/> runs on the recording thread (a probe, the data path), so events
/// are queued, bounded, and sent by one loop; a full queue drops and counts rather than slow whoever recorded.
/// Off (the default) the handler returns at once.
/// </summary>
public sealed class SyslogForwarder : IConfigObserver, IDisposable
{
    private const int QueueCapacity = 4096;

    private readonly Channel<PorticoEvent> _queue = Channel.CreateBounded<PorticoEvent>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly EventLog _log;
    private readonly Task _loop;
    private volatile Target? _target;
    private long _sent;
    private long _failed;
    private long _dropped;

    public SyslogForwarder(EventLog log)
    {
        _log = log;
        _log.Recorded += OnRecorded;
        _loop = Task.Run(SendLoopAsync);
    }

    public ConfigStage Stage => ConfigStage.Runtime;

    /// <summary>Datagrams sent since start.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Datagrams the socket refused (no route, ICMP unreachable reported on a later send).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events not sent because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public IPreparedChange Prepare(RunningConfig previous, RunningConfig next)
    {
        var settings = next.Syslog;
        return new Change(this, settings.Server is null ? null : new Target(new IPEndPoint(settings.Server, settings.Port), settings.Facility));
    }

    private void OnRecorded(PorticoEvent e)
    {
        if (_target is not null && !_queue.Writer.TryWrite(e))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task SendLoopAsync()
    {
        var host = Environment.MachineName;
        var pid = Environment.ProcessId;
        Socket? socket = null;
        AddressFamily family = AddressFamily.Unspecified;
        try
        {
            await foreach (var e in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (_target is not { } target)
                {
                    continue;
                }

                if (socket is null || family != target.EndPoint.AddressFamily)
                {
                    socket?.Dispose();
                    family = target.EndPoint.AddressFamily;
                    socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
                }

                try
                {
                    await socket.SendToAsync(SyslogMessage.Format(e, target.Facility, host, pid), SocketFlags.None, target.EndPoint).ConfigureAwait(false);
                    Interlocked.Increment(ref _sent);
                }
                catch (SocketException)
                {
                    Interlocked.Increment(ref _failed);
                }
            }
        }
        finally
        {
            socket?.Dispose();
        }
    }

    public void Dispose()
    {
        _log.Recorded -= OnRecorded;
        _queue.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(1));
    }

    private sealed record Target(IPEndPoint EndPoint, int Facility);

    private sealed class Change(SyslogForwarder forwarder, Target? target) : IPreparedChange
    {
        public IReadOnlyList<string> Commit()
        {
            forwarder._target = target;
            return [];
        }
    }
}
