namespace Portico.ClientIp.ProxyProtocol;

/// <summary>Why a connection that had to start with a PROXY header was closed.</summary>
public enum ProxyReject
{
    /// <summary>It started with something else (or closed before sending a byte).</summary>
    Missing,

    /// <summary>It started like a PROXY header that then broke the specification.</summary>
    Malformed,

    /// <summary>No complete header within <see cref="ClientIpOptions.ProxyHeaderTimeout"/>.</summary>
    Timeout,
}

/// <summary>Counting refusals on the vserver's counters, the same way on L4 and L7.</summary>
public static class ProxyRejects
{
    public static void CountOn(this ProxyReject reject, Runtime.VserverCounters counters)
    {
        switch (reject)
        {
            case ProxyReject.Missing:
                Interlocked.Increment(ref counters.ProxyHeaderMissing);
                break;
            case ProxyReject.Malformed:
                Interlocked.Increment(ref counters.ProxyHeaderMalformed);
                break;
            default:
                Interlocked.Increment(ref counters.ProxyHeaderTimeouts);
                break;
        }
    }
}
