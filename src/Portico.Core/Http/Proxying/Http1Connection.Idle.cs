using System.Runtime.CompilerServices;

namespace Portico.Http.Proxying;

/// <summary>
/// Between requests. A connection that has just been accepted or answered is likely to send its next request at
/// once, so for <see cref="WarmTime"/> it keeps its buffer and reads straight into it: one receive per request.
/// After that it is idle and holds no buffer: a zero-length read waits for the next request, which costs one more
/// system call per request (3.3 receives per keep-alive request were measured with idle reads only) but keeps an
/// idle connection at a few KiB. Only plain sockets can go from warm to idle, by cancelling the read; a TLS
/// connection goes idle at once.
/// </summary>
internal sealed partial class Http1Connection
{
    /// <summary>How long a connection stays warm; one sweep of the deadline timer is the granularity.</summary>
    public static readonly TimeSpan WarmTime = TimeSpan.FromMilliseconds(500);

    private CancellationTokenSource? _cooling;

    private enum Warmth
    {
        /// <summary>The next request started to arrive; its first bytes are in the buffer.</summary>
        Arrived,

        /// <summary>The warm time passed: wait idle.</summary>
        Cooled,

        /// <summary>The client closed, or the listener stops.</summary>
        Closed,
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Warmth> WarmReadAsync(long idleDeadline)
    {
        var cooling = _cooling ??= new CancellationTokenSource();
        _phase = Phase.Warm;
        SetDeadline(Math.Min(idleDeadline, Deadlines.After(WarmTime)));
        if (_stopping)
        {
            // Stop() ran before the phase said warm, so it cancelled nothing.
            return Warmth.Closed;
        }

        try
        {
            var n = await _in.ReadAsync(_client, 4096, cooling.Token).ConfigureAwait(false);
            if (n == 0)
            {
                return Warmth.Closed;
            }

            Interlocked.Add(ref Vserver.Runtime.Counters.BytesFromClients, n);
            return Warmth.Arrived;
        }
        catch (OperationCanceledException)
        {
            // A cancelled source cannot be reset; the next warm read gets a new one.
            _cooling = null;
            return _stopping ? Warmth.Closed : Warmth.Cooled;
        }
    }

    /// <summary>Ends a warm read from the deadline timer or a stopping listener (the read's own thread goes on).</summary>
    private void Cool()
    {
        try
        {
            Volatile.Read(ref _cooling)?.Cancel();
        }
        catch (AggregateException)
        {
            // A cancellation callback failed: the read ends anyway, with the socket closed by its caller.
        }
    }

    /// <summary>Idle: no buffer held; true when the next request starts to arrive before <paramref name="idleDeadline"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> IdleAsync(long idleDeadline)
    {
        _in.Release();
        _out.Release();
        _response.Release();
        RequestHeadPool.Return(_head);
        _head = RequestHeadPool.None;
        _phase = Phase.Idle;
        SetDeadline(idleDeadline);
        if (_stopping || Deadlines.Now >= idleDeadline)
        {
            return false;
        }

        await _client.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
        return !TimedOut;
    }
}
