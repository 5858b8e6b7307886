namespace Portico.Runtime;

/// <summary>
/// Live counters of one backend member. Plain fields updated with <see cref="Interlocked"/> so the
/// data path never takes a lock; the same object survives config changes that keep the member.
/// </summary>
public sealed class ServiceCounters
{
    /// <summary>Server connections open now.</summary>
    public long CurrentConnections;

    /// <summary>Server connections ever opened (successful connects).</summary>
    public long TotalConnections;

    /// <summary>Bytes received from the server.</summary>
    public long BytesFromServer;

    /// <summary>Bytes sent to the server.</summary>
    public long BytesToServer;

    /// <summary>Connects that failed (refused, timed out, unreachable).</summary>
    public long ConnectFailures;

    /// <summary>
    /// Connects to this member that found no free source port (<c>portico.l4.source_ports_exhausted</c>):
    /// every source address Portico may use (its SNIPs, or the client's address with USIP) already holds
    /// a connection to the member's ip:port on every port of the ephemeral range. Not a member failure.
    /// </summary>
    public long SourcePortsExhausted;

    /// <summary>Requests (L7) or connections (L4) handed to this member.</summary>
    public long Requests;

    /// <summary>
    /// Moving average of the time to first byte (L7: from sending the request to the response headers),
    /// in microseconds; 0 until the first response. LEASTRESPONSETIME reads it.
    /// </summary>
    public long ResponseTimeAverageMicros;

    /// <summary>Adds one time-to-first-byte sample to the moving average (weight 1/8, as TCP smooths its RTT).</summary>
    public void RecordResponseTime(long micros)
    {
        micros = Math.Max(1, micros);
        var old = Volatile.Read(ref ResponseTimeAverageMicros);

        // A lost race drops one sample of a moving average: cheaper than a CAS loop and just as useful.
        Volatile.Write(ref ResponseTimeAverageMicros, old == 0 ? micros : old + ((micros - old) / 8));
    }
}
