using System.Buffers.Binary;

namespace Portico.Capture.Files;

/// <summary>
/// The classic libpcap format (microsecond timestamps, little-endian): a 24-byte header naming one link
/// type, then a 16-byte record header before each packet. Every interface of the file must share the link
/// type; <see cref="TraceManager"/> checks that before a capture starts.
/// </summary>
internal sealed class PcapFileFormat : ITraceFileFormat
{
    private const uint Magic = 0xA1B2C3D4;

    public bool CarriesSecrets => false;

    public void WriteHeader(Stream file, IReadOnlyList<TraceInterface> interfaces, string? comment)
    {
        Span<byte> h = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(h, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(h[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(h[16..], interfaces.Max(i => i.Snaplen));
        BinaryPrimitives.WriteInt32LittleEndian(h[20..], interfaces[0].LinkType);
        file.Write(h);
    }

    public int RecordLength(int capturedLength) => 16 + capturedLength;

    public void WritePacket(Stream file, int interfaceIndex, long unixMicros, ReadOnlySpan<byte> data, int originalLength)
    {
        Span<byte> h = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(h, (uint)(unixMicros / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)(unixMicros % 1_000_000));
        BinaryPrimitives.WriteInt32LittleEndian(h[8..], data.Length);
        BinaryPrimitives.WriteInt32LittleEndian(h[12..], originalLength);
        file.Write(h);
        file.Write(data);
    }

    public void WriteSecrets(Stream file, ReadOnlySpan<byte> keyLog) =>
        throw new NotSupportedException("pcap files cannot carry TLS secrets; use PCAPNG");

    public int SecretsLength(int length) => 0;
}
