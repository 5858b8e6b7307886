using System.Net;

namespace Portico.Dsr;

/// <summary>
/// A real server as one DSR port sees it: its address and the MAC that Portico learned by ARP. The
/// same object lives as long as the port does, across config changes, so flows recorded against it
/// stay valid; only the port's forwarder thread writes it.
/// </summary>
internal sealed class DsrBackend(int id, uint address)
{
    /// <summary>Probe a resolved server this often; it is unreachable after <see cref="DeadAfterMs"/> without an answer.</summary>
    public const long ProbeIntervalMs = 1000;

    public const long DeadAfterMs = 3500;

    /// <summary>Index in the port's backend list; the flow table records it.</summary>
    public int Id { get; } = id;

    public uint Address { get; } = address;

    public IPAddress Ip { get; } = Frame.ToAddress(address);

    private long _mac;
    private long _lastAnswerMs = long.MinValue;

    /// <summary>The server's MAC, 0 until it answered ARP.</summary>
    public ulong Mac => (ulong)Volatile.Read(ref _mac);

    /// <summary>When it last answered ARP (port clock, ms).</summary>
    public long LastAnswerMs => Volatile.Read(ref _lastAnswerMs);

    /// <summary>When Portico last asked for it.</summary>
    public long LastProbeMs { get; set; } = long.MinValue;

    /// <summary>Reachable as last logged (forwarder thread only), so transitions are logged once.</summary>
    public bool KnownReachable { get; set; }

    /// <summary>ARP requests sent since the last answer.</summary>
    public int Unanswered { get; set; }

    /// <summary>Reachable on the segment: it answered ARP recently.</summary>
    public bool Reachable(long nowMs) => Mac != 0 && nowMs - LastAnswerMs <= DeadAfterMs;

    /// <summary>Records an ARP answer (or any ARP frame the server sent); returns true when its MAC changed.</summary>
    public bool Answered(ulong mac, long nowMs)
    {
        Volatile.Write(ref _lastAnswerMs, nowMs);
        Unanswered = 0;
        return (ulong)Interlocked.Exchange(ref _mac, (long)mac) != mac;
    }
}
