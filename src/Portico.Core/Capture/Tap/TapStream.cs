namespace Portico.Capture.Tap;

/// <summary>
/// A stream that reports the bytes read from and written to another stream to a <see cref="TapConnection"/>:
/// the decrypted side of an L7 client connection (bytes read came from the client), or Portico's connection
/// to a member (bytes written went to the server). Only tapped connections are wrapped.
/// </summary>
internal sealed class TapStream(Stream reader, Stream writer, TapConnection tap, bool readsAreToServer) : Stream
{
    private int _closed;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = reader.Read(buffer);
        Report(buffer[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Report(buffer.Span[..n]);
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        tap.Data(!readsAreToServer, buffer);
        writer.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        tap.Data(!readsAreToServer, buffer.Span);
        return writer.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => writer.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Our side closed: a FIN from Portico on the tapped side.</summary>
    public void Closed()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            tap.End(!readsAreToServer);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Closed();
            reader.Dispose();
            if (!ReferenceEquals(reader, writer))
            {
                writer.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Report(ReadOnlySpan<byte> read)
    {
        if (read.IsEmpty)
        {
            tap.End(readsAreToServer);
        }
        else
        {
            tap.Data(readsAreToServer, read);
        }
    }
}
