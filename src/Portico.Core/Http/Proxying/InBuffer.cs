using System.Runtime.CompilerServices;
using System.Buffers;

namespace Portico.Http.Proxying;

/// <summary>
/// What has been read from one connection and not yet used: a head being parsed, body bytes, the next pipelined
/// request. Rented while there is something in it (or a read is about to fill it) and given back when it is empty,
/// so an idle keep-alive connection holds no buffer (it waits with a zero-length read). Blocks of
/// <see cref="BlockPool.BlockSize"/> come from the <see cref="BlockPool"/>, larger ones from the shared array pool.
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

        var size = Math.Max(initialSize, Count + room);
        var bigger = size <= BlockPool.BlockSize ? BlockPool.Input.Rent() : ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(Start, Count).CopyTo(bigger);
        End = Count;
        Start = 0;
        Give(_buffer);
        _buffer = bigger;
    }

    /// <summary>Gives the buffer back when nothing is in it.</summary>
    public void ReleaseIfEmpty()
    {
        if (IsEmpty && _buffer.Length > 0)
        {
            Give(_buffer);
            _buffer = [];
            Start = End = 0;
        }
    }

    /// <summary>Gives the buffer back, whatever is in it (the connection ends).</summary>
    public void Release()
    {
        Start = End = 0;
        Give(_buffer);
        _buffer = [];
    }

    private static void Give(byte[] buffer)
    {
        if (buffer.Length == BlockPool.BlockSize)
        {
            BlockPool.Input.Return(buffer);
        }
        else if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
