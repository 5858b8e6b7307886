using System.Buffers.Binary;
using System.Text;

namespace Portico.Capture.Files;

/// <summary>
/// pcapng (draft-ietf-opsawg-pcapng), written by Portico itself since libpcap only writes the classic
/// format: a Section Header Block, one Interface Description Block per interface (each with its own link
/// type, so a file can hold <c>lo</c> and <c>eth0</c>, or the tap's raw IP packets), an Enhanced Packet
/// Block per packet, and Decryption Secrets Blocks with TLS key log lines that Wireshark uses to decrypt
/// the packets after them. Little-endian, microsecond timestamps (the default <c>if_tsresol</c>).
/// </summary>
internal sealed class PcapngFileFormat : ITraceFileFormat
{
    private const uint SectionHeader = 0x0A0D0D0A;
    private const uint InterfaceDescription = 1;
    private const uint EnhancedPacket = 6;
    private const uint DecryptionSecrets = 0x0A;
    private const uint TlsKeyLog = 0x544C534B;
    private const ushort OptComment = 1;
    private const ushort ShbUserApplication = 4;
    private const ushort IfName = 2;
    private const ushort IfDescription = 3;

    public bool CarriesSecrets => true;

    public void WriteHeader(Stream file, IReadOnlyList<TraceInterface> interfaces, string? comment)
    {
        var options = new List<(ushort, byte[])> { (ShbUserApplication, Encoding.UTF8.GetBytes("Portico")) };
        if (comment is not null)
        {
            options.Add((OptComment, Encoding.UTF8.GetBytes(comment)));
        }

        Span<byte> body = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(body, 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(body[4..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(body[6..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(body[8..], -1); // section length unknown: written as it goes
        WriteBlock(file, SectionHeader, body, options);

        Span<byte> idb = stackalloc byte[8];
        foreach (var i in interfaces)
        {
            var ifOptions = new List<(ushort, byte[])> { (IfName, Encoding.UTF8.GetBytes(i.Name)) };
            if (i.Description is not null)
            {
                ifOptions.Add((IfDescription, Encoding.UTF8.GetBytes(i.Description)));
            }

            BinaryPrimitives.WriteUInt16LittleEndian(idb, (ushort)i.LinkType);
            BinaryPrimitives.WriteUInt16LittleEndian(idb[2..], 0);
            BinaryPrimitives.WriteInt32LittleEndian(idb[4..], i.Snaplen);
            WriteBlock(file, InterfaceDescription, idb, ifOptions);
        }
    }

    public int RecordLength(int capturedLength) => 32 + Pad(capturedLength);

    public void WritePacket(Stream file, int interfaceIndex, long unixMicros, ReadOnlySpan<byte> data, int originalLength)
    {
        var total = RecordLength(data.Length);
        Span<byte> h = stackalloc byte[28];
        BinaryPrimitives.WriteUInt32LittleEndian(h, EnhancedPacket);
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], total);
        BinaryPrimitives.WriteInt32LittleEndian(h[8..], interfaceIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], (uint)((ulong)unixMicros >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], (uint)unixMicros);
        BinaryPrimitives.WriteInt32LittleEndian(h[20..], data.Length);
        BinaryPrimitives.WriteInt32LittleEndian(h[24..], originalLength);
        file.Write(h);
        file.Write(data);
        WritePaddingAndTrailer(file, data.Length, total);
    }

    public int SecretsLength(int length) => 20 + Pad(length);

    public void WriteSecrets(Stream file, ReadOnlySpan<byte> keyLog)
    {
        var total = SecretsLength(keyLog.Length);
        Span<byte> h = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(h, DecryptionSecrets);
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], total);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], TlsKeyLog);
        BinaryPrimitives.WriteInt32LittleEndian(h[12..], keyLog.Length);
        file.Write(h);
        file.Write(keyLog);
        WritePaddingAndTrailer(file, keyLog.Length, total);
    }

    private static void WritePaddingAndTrailer(Stream file, int length, int total)
    {
        Span<byte> tail = stackalloc byte[8];
        var pad = Pad(length) - length;
        tail[..pad].Clear();
        BinaryPrimitives.WriteInt32LittleEndian(tail[pad..], total);
        file.Write(tail[..(pad + 4)]);
    }

    private static void WriteBlock(Stream file, uint type, ReadOnlySpan<byte> body, List<(ushort Code, byte[] Value)> options)
    {
        var optionsLength = options.Sum(o => 4 + Pad(o.Value.Length)) + 4;
        var total = 12 + body.Length + optionsLength;
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(word, type);
        file.Write(word);
        BinaryPrimitives.WriteInt32LittleEndian(word, total);
        file.Write(word);
        file.Write(body);
        foreach (var (code, value) in options)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(word, code);
            BinaryPrimitives.WriteUInt16LittleEndian(word[2..], (ushort)value.Length);
            file.Write(word);
            file.Write(value);
            word.Clear();
            file.Write(word[..(Pad(value.Length) - value.Length)]);
        }

        word.Clear(); // opt_endofopt
        file.Write(word);
        BinaryPrimitives.WriteInt32LittleEndian(word, total);
        file.Write(word);
    }

    private static int Pad(int length) => (length + 3) & ~3;
}
