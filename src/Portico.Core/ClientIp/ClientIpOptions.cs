namespace Portico.ClientIp;

/// <summary>Bounds of the PROXY protocol receiver; the defaults suit production, tests shorten the timeout.</summary>
public sealed record ClientIpOptions
{
    /// <summary>
    /// How long a client of a vserver that requires a PROXY header may take to send all of it. An upstream
    /// balancer sends it at once with the connection; a client still silent after this is closed and counted.
    /// </summary>
    public TimeSpan ProxyHeaderTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest header accepted. Version 1 lines are at most 107 bytes; version 2 may announce up to
    /// 65,551, but real senders add a few TLVs of tens of bytes: a longer header is refused as malformed.
    /// </summary>
    public int MaxProxyHeaderBytes { get; init; } = 4096;
}
