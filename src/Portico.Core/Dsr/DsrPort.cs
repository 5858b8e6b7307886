using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Portico.Listeners;

namespace Portico.Dsr;

/// <summary>
/// The DSR data path on one interface: an AF_PACKET socket and the one thread that owns it, its flow
/// table and its real servers' ARP state. The control plane publishes a <see cref="DsrPortModel"/>; the
/// forwarder thread picks it up at its next batch, so a config change never stops the flow of frames.
/// </summary>
internal sealed partial class DsrPort : IDisposable
{
    private readonly PacketSocket _socket;
    private readonly IAdmissionPolicy[] _admission;
    private readonly ILogger _logger;
    private readonly FlowTable _flows = new();
    private readonly List<DsrBackend> _backends = [];
    private readonly Dictionary<uint, DsrBackend> _backendsByAddress = [];
    private readonly Lock _lock = new();
    private readonly Thread _thread;
    private volatile DsrPortModel _model;
    private volatile bool _stopping;
    private volatile string? _failure;
    private int _generation;

    private DsrPort(NetInterface nic, PacketSocket socket, IAdmissionPolicy[] admission, ILogger logger)
    {
        Interface = nic;
        _socket = socket;
        _admission = admission;
        _logger = logger;
        _model = new DsrPortModel(0, [], []);
        _thread = new Thread(Run) { IsBackground = true, Name = $"dsr {nic.Name}" };
    }

    public NetInterface Interface { get; }

    public DsrPortModel Model => _model;

    /// <summary>Why the forwarder stopped, or null while it runs.</summary>
    public string? Failure => _failure;

    /// <summary>Port-wide counters (forwarder thread writes, anyone reads).</summary>
    public DsrPortCounters Counters { get; } = new();

    /// <summary>Hosts other than Portico seen claiming a VIP in ARP: the ARP trap, seen from the LB.</summary>
    public ConcurrentDictionary<uint, (ulong Mac, DateTimeOffset At)> VipClaims { get; } = new();

    /// <summary>Flows in the table now (a scan: for show commands only).</summary>
    public int LiveFlows => _flows.CountLive(Environment.TickCount64);

    public static DsrPort Start(NetInterface nic, PacketIo io, IAdmissionPolicy[] admission, ILogger logger)
    {
        var socket = PacketSocket.Open(nic, [], io);
        var port = new DsrPort(nic, socket, admission, logger);
        port._thread.Start();
        return port;
    }

    /// <summary>The port's record of a real server, created on first use; its id stays for the port's life.</summary>
    public DsrBackend BackendFor(uint address)
    {
        lock (_lock)
        {
            if (!_backendsByAddress.TryGetValue(address, out var b))
            {
                b = new DsrBackend(_backends.Count, address);
                _backends.Add(b);
                _backendsByAddress.Add(address, b);
            }

            return b;
        }
    }

    /// <summary>Publishes what the port serves from now on; the kernel filter follows at once.</summary>
    public void Publish(IReadOnlyList<DsrVserver> vservers)
    {
        var backends = vservers.SelectMany(v => v.Members).Select(m => m.Backend).Distinct().ToList();
        var model = new DsrPortModel(Interlocked.Increment(ref _generation), vservers, backends);
        _socket.SetFilter(model.Vips);
        _model = model;
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }
}

/// <summary>Counters of one DSR port.</summary>
internal sealed class DsrPortCounters
{
    /// <summary>Frames the kernel filter let through.</summary>
    public long Received;

    /// <summary>IPv4 frames to a VIP that no vserver matches (another port or protocol).</summary>
    public long Unmatched;

    /// <summary>Frames to a VIP addressed to another MAC (flooded by a switch), left alone.</summary>
    public long NotForUs;

    public long ArpRequestsAnswered;

    public long ArpProbesSent;

    public long GratuitousArpsSent;
}
