namespace Portico.Counters;

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

    /// <summary>Requests (L7) or connections (L4) handed to this member.</summary>
    public long Requests;
}
