namespace Portico.Http.RequestBuffering;

/// <summary>
/// A request body read as the part <see cref="RequestBodyBuffering"/> already buffered, then the rest from the
/// client's own body stream: the server receives the client's bytes in order, unchanged.
/// </summary>
internal sealed class PrefixedBodyStream(byte[] prefix, int length, Stream rest) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_position < length)
        {
            var n = Math.Min(destination.Length, length - _position);
            prefix.AsMemory(_position, n).CopyTo(destination);
            _position += n;
            return n;
        }

        return await rest.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
