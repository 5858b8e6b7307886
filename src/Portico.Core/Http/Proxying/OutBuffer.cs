using System.Buffers;
using System.Buffers.Text;

namespace Portico.Http.Proxying;

/// <summary>
/// Bytes being composed for one write (a head, the start of a body, re-framed chunks), in a buffer rented from the
/// shared pool and given back when the exchange ends, so an idle connection holds none.
/// </summary>
internal sealed class OutBuffer
{
    private byte[] _buffer = [];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public int Free => _buffer.Length - Length;

    public void Clear() => Length = 0;

    /// <summary>Gives the buffer back to the pool (the connection goes idle).</summary>
    public void Release()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        Length = 0;
    }

    public Span<byte> Reserve(int count)
    {
        if (Free < count)
        {
            Grow(count);
        }

        return _buffer.AsSpan(Length, count);
    }

    public void Advance(int count) => Length += count;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        Length += bytes.Length;
    }

    /// <summary>Appends ASCII text (header names and values Portico writes itself).</summary>
    public void AppendAscii(string text)
    {
        var span = Reserve(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        Length += text.Length;
    }

    /// <summary>Appends text from a policy (a rewritten field): Latin-1 as fields arrive, UTF-8 where a character is beyond it.</summary>
    public void AppendText(string text)
    {
        if (text.All(c => c <= 0xFF))
        {
            AppendAscii(text);
            return;
        }

        Append(System.Text.Encoding.UTF8.GetBytes(text));
    }

    public void AppendDecimal(long value)
    {
        Utf8Formatter.TryFormat(value, Reserve(20), out var written);
        Length += written;
    }

    /// <summary>A chunk-size line: the size in hex and CRLF.</summary>
    public void AppendChunkSize(int size)
    {
        Utf8Formatter.TryFormat(size, Reserve(10), out var written, new System.Buffers.StandardFormat('x'));
        Length += written;
        Append("\r\n"u8);
    }

    private void Grow(int count)
    {
        var size = Math.Max(Math.Max(4096, _buffer.Length * 2), Length + count);
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, Length).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }
}
