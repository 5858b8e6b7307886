using System.Runtime.CompilerServices;
using System.Buffers;

namespace Portico.Http.Proxying;

/// <summary>
/// What has been read from one connection and not yet used: a head being parsed, body bytes, the next pipelined
/// request. Rented from the shared pool while there is something in it and given back when it is empty, so an
/// idle keep-alive connection holds no buffer (it waits with a zero-length read).
/// </summary>
internal sealed class InBuffer(int initialSize)
{
    private byte[] _buffer = [];

    public int Start { get; private set; }

    public int End { get; private set; }

    public int Count => End - Start;

    public bool IsEmpty => End == Start;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(Start, End - Start);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(Start, End - Start);

    public void Consume(int count)
    {
        Start += count;
        if (Start == End)
        {
            Start = End = 0;
        }
    }

    /// <summary>Reads once into free space (at least <paramref name="room"/> bytes of it, compacting or growing); 0 at EOF.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadAsync(Wire wire, int room)
    {
        Ensure(room);
        var n = await wire.ReadAsync(_buffer.AsMemory(End)).ConfigureAwait(false);
        End += n;
        return n;
    }

    /// <summary>As <see cref="ReadAsync(Wire, int)"/>, ended by <paramref name="cancel"/> (a warm read going idle).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadAsync(Wire wire, int room, CancellationToken cancel)
    {
        Ensure(room);
        var n = await wire.ReadAsync(_buffer.AsMemory(End), cancel).ConfigureAwait(false);
        End += n;
        return n;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(End));
        End += bytes.Length;
    }

    /// <summary>Makes room for <paramref name="room"/> more bytes after <see cref="End"/>.</summary>
    public void Ensure(int room)
    {
        if (_buffer.Length - End >= room)
        {
            return;
        }

        if (Start > 0 && _buffer.Length - Count >= room)
        {
            _buffer.AsSpan(Start, Count).CopyTo(_buffer);
            End = Count;
            Start = 0;
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(initialSize, Count + room));
        _buffer.AsSpan(Start, Count).CopyTo(bigger);
        End = Count;
        Start = 0;
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }

    /// <summary>Gives the buffer back when nothing is in it.</summary>
    public void ReleaseIfEmpty()
    {
        if (IsEmpty && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            Start = End = 0;
        }
    }

    /// <summary>Gives the buffer back, whatever is in it (the connection ends).</summary>
    public void Release()
    {
        Start = End = 0;
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
