using System.Buffers;
using System.IO.Compression;

namespace Portico.Compression;

/// <summary>
/// One response's encoder. Each call compresses what it is given and flushes, so everything the client got so far
/// decodes at once (a slow stream still flows); the returned bytes stay valid until the next call. Memory is the
/// encoder's state plus an output buffer the size of one read's output, both given back by <see cref="Dispose()"/>.
/// </summary>
public abstract class Compressor : IDisposable
{
    private readonly PooledSinkStream _sink = new();

    protected PooledSinkStream Sink => _sink;

    public abstract ContentCoding Coding { get; }

    /// <summary>The encoder memory charged against <see cref="CmpBudget"/> (bytes, an upper estimate).</summary>
    public abstract int Cost { get; }

    /// <summary>Compresses <paramref name="input"/> and flushes.</summary>
    public ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> input)
    {
        _sink.Reset();
        Write(input);
        return _sink.Written;
    }

    /// <summary>Ends the stream (the coding's trailer).</summary>
    public ReadOnlySpan<byte> Finish()
    {
        _sink.Reset();
        End();
        return _sink.Written;
    }

    protected abstract void Write(ReadOnlySpan<byte> input);

    protected abstract void End();

    public static Compressor Create(ContentCoding coding, CmpLevel level) => coding switch
    {
        ContentCoding.Brotli => new BrotliCompressor(CmpLevels.Brotli(level)),
        ContentCoding.Zstd => new ZstdCompressor(CmpLevels.Zstd(level)),
        ContentCoding.Gzip or ContentCoding.Deflate => new ZlibCompressor(coding, CmpLevels.Zlib(level)),
        _ => throw new ArgumentOutOfRangeException(nameof(coding), coding, "identity has no encoder"),
    };

    /// <summary>Memory one encoder of <paramref name="coding"/> may hold, for the budget check before one is made.</summary>
    public static int CostOf(ContentCoding coding) => coding switch
    {
        ContentCoding.Brotli => BrotliCompressor.Memory,
        ContentCoding.Zstd => ZstdCompressor.Memory,
        _ => ZlibCompressor.Memory,
    };

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sink.Dispose();
        }
    }

    /// <summary>A write-only stream over a buffer rented from the shared pool: where the stream encoders write.</summary>
    protected sealed class PooledSinkStream : Stream
    {
        private byte[] _buffer = [];
        private int _length;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public void Reset() => _length = 0;

        public Span<byte> Free(int atLeast)
        {
            if (_buffer.Length - _length < atLeast)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_length + atLeast, Math.Max(4096, _buffer.Length * 2)));
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                if (_buffer.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(_buffer);
                }

                _buffer = bigger;
            }

            return _buffer.AsSpan(_length);
        }

        public void Advance(int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            buffer.CopyTo(Free(buffer.Length));
            _length += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush()
        {
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>gzip (RFC 1952) and HTTP's deflate (the zlib format, RFC 1950) through the runtime's zlib.</summary>
internal sealed class ZlibCompressor : Compressor
{
    /// <summary>zlib's state at windowBits 15, memLevel 8: 256 KiB, plus its pending buffer.</summary>
    public const int Memory = 320 * 1024;

    private readonly Stream _zlib;
    private bool _ended;

    public ZlibCompressor(ContentCoding coding, int level)
    {
        Coding = coding;
        var options = new ZLibCompressionOptions { CompressionLevel = level };
        _zlib = coding == ContentCoding.Gzip ? new GZipStream(Sink, options, leaveOpen: true) : new ZLibStream(Sink, options, leaveOpen: true);
    }

    public override ContentCoding Coding { get; }

    public override int Cost => Memory;

    protected override void Write(ReadOnlySpan<byte> input)
    {
        _zlib.Write(input);

        // A sync flush: the bytes so far end on a byte boundary the client can decode.
        _zlib.Flush();
    }

    protected override void End()
    {
        _ended = true;
        _zlib.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_ended)
        {
            _zlib.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Brotli (RFC 7932) with the runtime's encoder, its window kept at 1 MiB so a stream's state stays small.</summary>
internal sealed class BrotliCompressor(int quality) : Compressor
{
    public const int Window = 20;

    /// <summary>The 1 MiB ring buffer and the hash tables of the qualities Portico uses.</summary>
    public const int Memory = 3 * 1024 * 1024;

    private BrotliEncoder _encoder = new(quality, Window);

    public override ContentCoding Coding => ContentCoding.Brotli;

    public override int Cost => Memory;

    protected override void Write(ReadOnlySpan<byte> input)
    {
        while (true)
        {
            var status = _encoder.Compress(input, Sink.Free(BrotliEncoder.GetMaxCompressedLength(Math.Min(input.Length, 64 * 1024)) + 64), out var consumed, out var written, isFinalBlock: false);
            Sink.Advance(written);
            input = input[consumed..];
            if (status == System.Buffers.OperationStatus.InvalidData)
            {
                throw new InvalidOperationException("brotli encoder failed");
            }

            if (input.IsEmpty && status == System.Buffers.OperationStatus.Done)
            {
                break;
            }
        }

        while (_encoder.Flush(Sink.Free(4096), out var flushed) is var status)
        {
            Sink.Advance(flushed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                break;
            }
        }
    }

    protected override void End()
    {
        while (true)
        {
            var status = _encoder.Compress(ReadOnlySpan<byte>.Empty, Sink.Free(4096), out _, out var written, isFinalBlock: true);
            Sink.Advance(written);
            if (status == System.Buffers.OperationStatus.Done)
            {
                return;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _encoder.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>zstd (RFC 8878) with ZstdSharp's port of the reference encoder.</summary>
internal sealed class ZstdCompressor : Compressor
{
    /// <summary>The context at level 3 with its 2 MiB window; level 19's 8 MiB window is charged the same and rarer.</summary>
    public const int Memory = 3 * 1024 * 1024;

    private readonly ZstdSharp.CompressionStream _zstd;
    private bool _ended;

    public ZstdCompressor(int level) => _zstd = new ZstdSharp.CompressionStream(Sink, level, 0, leaveOpen: true);

    public override ContentCoding Coding => ContentCoding.Zstd;

    public override int Cost => Memory;

    protected override void Write(ReadOnlySpan<byte> input)
    {
        _zstd.Write(input);
        _zstd.Flush();
    }

    protected override void End()
    {
        _ended = true;
        _zstd.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_ended)
        {
            _zstd.Dispose();
        }

        base.Dispose(disposing);
    }
}
