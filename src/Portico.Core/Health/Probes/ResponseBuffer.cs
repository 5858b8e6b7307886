using System.Buffers;
using System.Net.Sockets;

namespace Portico.Health.Probes;

/// <summary>What one read of a probe's response gave.</summary>
internal enum ReadOutcome
{
    /// <summary>More bytes arrived.</summary>
    Data,

    /// <summary>The server closed its side.</summary>
    End,

    /// <summary>The buffer is full: the probe has read all it will judge.</summary>
    Full,

    /// <summary>The response timeout fired.</summary>
    Timeout,

    /// <summary>The connection failed (reset); see <see cref="ResponseBuffer.Error"/>.</summary>
    Failed,
}

/// <summary>A pooled buffer a probe reads its response into, up to a limit.</summary>
internal sealed class ResponseBuffer(int limit) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit, 4096));

    public int Count { get; private set; }

    public ReadOnlySpan<byte> Data => _buffer.AsSpan(0, Count);

    /// <summary>Why the last read failed.</summary>
    public string Error { get; private set; } = "";

    public async ValueTask<ReadOutcome> ReadMoreAsync(Stream stream, CancellationToken timeout)
    {
        if (Count >= limit)
        {
            return ReadOutcome.Full;
        }

        if (Count == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(limit, _buffer.Length * 2));
            _buffer.AsSpan(0, Count).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        try
        {
            var n = await stream.ReadAsync(_buffer.AsMemory(Count, Math.Min(_buffer.Length, limit) - Count), timeout).ConfigureAwait(false);
            if (n == 0)
            {
                return ReadOutcome.End;
            }

            Count += n;
            return ReadOutcome.Data;
        }
        catch (OperationCanceledException)
        {
            return ReadOutcome.Timeout;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            Error = ProbeConnection.Innermost(e).Message;
            return ReadOutcome.Failed;
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
