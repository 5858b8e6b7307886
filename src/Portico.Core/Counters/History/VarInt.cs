using System.Text;

namespace Portico.Counters.History;

/// <summary>LEB128 variable-length integers and length-prefixed UTF-8 strings: small values take one byte.</summary>
internal static class VarInt
{
    public static void Write(List<byte> buffer, ulong value)
    {
        while (value >= 0x80)
        {
            buffer.Add((byte)(value | 0x80));
            value >>= 7;
        }

        buffer.Add((byte)value);
    }

    /// <summary>Zig-zag: small negative numbers stay small.</summary>
    public static void WriteSigned(List<byte> buffer, long value) => Write(buffer, (ulong)((value << 1) ^ (value >> 63)));

    public static void WriteString(List<byte> buffer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Write(buffer, (ulong)bytes.Length);
        buffer.AddRange(bytes);
    }

    public static ulong Read(ReadOnlySpan<byte> data, ref int offset)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (offset >= data.Length)
            {
                throw new FormatException("varint runs past the end of its record");
            }

            var b = data[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("varint longer than 64 bits");
    }

    public static long ReadSigned(ReadOnlySpan<byte> data, ref int offset)
    {
        var raw = Read(data, ref offset);
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public static int ReadInt(ReadOnlySpan<byte> data, ref int offset) => checked((int)Read(data, ref offset));

    public static string ReadString(ReadOnlySpan<byte> data, ref int offset)
    {
        var length = ReadInt(data, ref offset);
        if (length > data.Length - offset)
        {
            throw new FormatException("string runs past the end of its record");
        }

        var text = Encoding.UTF8.GetString(data.Slice(offset, length));
        offset += length;
        return text;
    }
}
