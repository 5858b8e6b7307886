namespace Portico.Capture.Files;

/// <summary>One source of packets in a trace file: a network interface, or the decrypted tap.</summary>
/// <param name="Name">The interface name (<c>lo</c>, <c>eth0</c>, <c>portico-sslplain</c>).</param>
/// <param name="LinkType">The LINKTYPE_ value of its frames (1 Ethernet, 101 raw IP, 113 Linux cooked).</param>
/// <param name="Snaplen">The most bytes kept of one packet.</param>
/// <param name="Description">Said in pcapng files (the tap says it is not a wire capture).</param>
internal sealed record TraceInterface(string Name, int LinkType, int Snaplen, string? Description = null)
{
    /// <summary>LINKTYPE_RAW: packets start with an IPv4 or IPv6 header (the tap's synthesized packets).</summary>
    public const int RawIp = 101;
}
