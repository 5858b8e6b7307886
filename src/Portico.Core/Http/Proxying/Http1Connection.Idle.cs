using System.Runtime.CompilerServices;

namespace Portico.Http.Proxying;

/// <summary>
/// Between requests. A connection just accepted, or one whose last request came within <see cref="WarmTime"/> of
/// the answer before it (a hot client), is likely to send its next request at once: it keeps its input block and
/// reads straight into it, one receive per request. Any other waits idle and holds no buffer: a zero-length read
/// waits for the next request, which costs one more system call per request (3.5 receives per keep-alive request
/// were measured with idle reads only, 2.2 with warm ones, HAProxy 2.0) but keeps an idle connection at a few KiB.
/// A warm read still waiting after <see cref="WarmTime"/> is cancelled and the connection goes idle; a cancel costs
/// an exception, so only a hot client, which seldom cools, reads warm. A TLS stream's read cannot be cancelled and
/// resumed, so TLS connections always wait idle.
/// </summary>
internal sealed partial class Http1Connection
{
    /// <summary>How long a connection stays warm; one sweep of the deadline timer is the granularity.</summary>
    public static readonly TimeSpan WarmTime = TimeSpan.FromMilliseconds(500);

    private CancellationTokenSource? _cooling;

    // The last wait for a request ended within WarmTime: the next one reads warm.
    private bool _hot;

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

        // Only the input block stays: the output buffers and the parsed head are per request.
        _out.Release();
        _response.Release();
        RequestHeadPool.Return(_head);
        _head = RequestHeadPool.None;
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
            _hot = false;
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

        var since = Deadlines.Now;
        await _client.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
        _hot = !Deadlines.Older(since, WarmTime);
        return !TimedOut;
    }
}
