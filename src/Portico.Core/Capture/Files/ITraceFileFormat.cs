namespace Portico.Capture.Files;

/// <summary>How packets are laid out in a trace file: one implementation per <see cref="TraceFormat"/>.</summary>
internal interface ITraceFileFormat
{
    /// <summary>The file's header: what every reader needs before the first packet.</summary>
    void WriteHeader(Stream file, IReadOnlyList<TraceInterface> interfaces, string? comment);

    /// <summary>Bytes one packet record of <paramref name="capturedLength"/> bytes takes in the file.</summary>
    int RecordLength(int capturedLength);

    /// <summary>One packet: which interface, when (microseconds since the Unix epoch), the bytes kept and the length on the wire.</summary>
    void WritePacket(Stream file, int interfaceIndex, long unixMicros, ReadOnlySpan<byte> data, int originalLength);

    /// <summary>True when the format can carry TLS secrets next to the packets (pcapng's Decryption Secrets Block).</summary>
    bool CarriesSecrets { get; }

    /// <summary>TLS key log lines (<c>SSLKEYLOGFILE</c> format) for the packets that follow.</summary>
    void WriteSecrets(Stream file, ReadOnlySpan<byte> keyLog);

    /// <summary>Bytes <see cref="WriteSecrets"/> takes for <paramref name="length"/> bytes of key log.</summary>
    int SecretsLength(int length);

    public static ITraceFileFormat For(TraceFormat format) => format == TraceFormat.Pcap ? new PcapFileFormat() : new PcapngFileFormat();
}
