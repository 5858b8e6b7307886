namespace Portico.Capture;

/// <summary>
/// What <c>start nstrace</c> (or <c>portico trace</c>) asks for, validated word by word by the command
/// language; names and filters are checked against the running config when the capture starts.
/// </summary>
public sealed record TraceRequest
{
    /// <summary>NetScaler's default number of files in the cycle.</summary>
    public const int DefaultFileCount = 24;

    /// <summary>NetScaler's default seconds per file.</summary>
    public const long DefaultFileSeconds = 3600;

    /// <summary>NetScaler's default bytes kept of each packet.</summary>
    public const int DefaultSnaplen = 164;

    /// <summary>libpcap's "whole packet" length, what <c>-size 0</c> means.</summary>
    public const int WholePacket = 262144;

    /// <summary>The capture's name (<c>-fileName</c>): the first part of its file names; null = trace1, trace2...</summary>
    public string? Name { get; init; }

    /// <summary>Bytes kept of each packet (<c>-size</c>); 0 = the whole packet.</summary>
    public int Size { get; init; } = DefaultSnaplen;

    /// <summary>Files in the cycle (<c>-nf</c>): when one more opens, the oldest is deleted.</summary>
    public int FileCount { get; init; } = DefaultFileCount;

    /// <summary>Seconds per file (<c>-time</c>); ignored when <see cref="FileBytes"/> is set.</summary>
    public long FileSeconds { get; init; } = DefaultFileSeconds;

    /// <summary>Bytes per file (<c>-fileSize</c> in MB), instead of seconds per file.</summary>
    public long? FileBytes { get; init; }

    /// <summary>A BPF expression, with Portico names (<c>vserver web</c>, <c>service s1</c>) allowed in it.</summary>
    public string? Filter { get; init; }

    /// <summary><c>-link ENABLED</c>: a vserver also brings its server-side connections, a service its client side.</summary>
    public bool Link { get; init; }

    /// <summary>Interfaces to capture on (<c>-interface</c>); empty = those carrying the filter's addresses.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];

    /// <summary><c>-traceformat</c>; null = PCAP for a wire capture, PCAPNG for the decrypted tap.</summary>
    public TraceFormat? Format { get; init; }

    /// <summary><c>-mode SSLPLAIN</c>: the decrypted tap instead of a wire capture.</summary>
    public bool SslPlain { get; init; }

    /// <summary>The size cap (<c>-maxSize</c> in MB): the capture stops when its files would exceed it.</summary>
    public long? MaxBytes { get; init; }

    /// <summary><c>-capsslkeys ENABLED</c>: TLS secrets of the handshakes seen during the capture, for Wireshark.</summary>
    public bool CaptureSslKeys { get; init; }

    /// <summary>The bytes kept of each packet as libpcap takes it.</summary>
    public int Snaplen => Size == 0 ? WholePacket : Size;

    /// <summary>The format the files are written in.</summary>
    public TraceFormat EffectiveFormat => Format ?? (SslPlain || CaptureSslKeys ? TraceFormat.Pcapng : TraceFormat.Pcap);
}
