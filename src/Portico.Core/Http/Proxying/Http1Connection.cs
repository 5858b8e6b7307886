using System.Runtime.CompilerServices;
using System.Net.Sockets;
using Portico.Http.Parsing;
using Portico.Http.Pipeline;

namespace Portico.Http.Proxying;

/// <summary>
/// One client connection of an HTTP or SSL vserver, served by Portico's own HTTP/1.1 engine: requests are read,
/// parsed strictly (<see cref="RequestParser"/>), balanced one by one and forwarded over pooled server connections,
/// answered in order. The loop runs on whatever thread completed the last read: there is no hand-off between a
/// transport, a server and a proxy layer. Between requests the connection holds no buffer.
/// </summary>
internal sealed partial class Http1Connection : IExpiring
{
    /// <summary>The head of a request must be in within this long when the profile sets no -reqTimeout.</summary>
    public static readonly TimeSpan DefaultHeadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>NetScaler's default client idle timeout for HTTP vservers (seconds).</summary>
    public const long DefaultClientTimeoutSeconds = 180;

    private readonly ProxyServices _services;
    private readonly VserverConnection _connection;
    private readonly Wire _client;
    private readonly InBuffer _in = new(8 * 1024);
    private readonly OutBuffer _out = new();
    private readonly OutBuffer _response = new();
    private RequestHead _head = RequestHeadPool.None;
    private ChunkedDecoder _requestChunks;
    private long _deadline;
    private volatile Phase _phase;
    private int _expired;

    // Set once the read side is shut by an expiry; never cleared, unlike _expired, because a byte that raced the
    // expiry may have reset the deadline while the socket can no longer read (the 408 must still go out).
    private int _woken;
    private int _served;
    private volatile bool _stopping;

    private enum Phase
    {
        Warm,
        Idle,
        Head,
        Busy,
        Closed,
    }

    /// <param name="preload">Bytes read with the PROXY header that already belong to the first request.</param>
    public Http1Connection(ProxyServices services, VserverConnection connection, Wire client, ReadOnlyMemory<byte> preload)
    {
        _services = services;
        _connection = connection;
        _client = client;
        if (!preload.IsEmpty)
        {
            _in.Append(preload.Span);
        }
    }

    private HttpVserver Vserver => _connection.Slot.Current;

    private DeadlineSweeper Deadlines => _services.Deadlines;

    public long Deadline => Volatile.Read(ref _deadline);

    /// <summary>The client's endpoint as the engine uses it (the PROXY-named client when there was a header).</summary>
    public VserverConnection Connection => _connection;

    /// <summary>Serves requests until the client closes, a timeout passes, or an answer closes the connection.</summary>
    public async Task RunAsync()
    {
        Deadlines.Add(this);
        try
        {
            while (await NextRequestAsync().ConfigureAwait(false))
            {
                _served++;
                var logged = _services.AccessLog.Enabled;
                if (logged)
                {
                    BeginLog();
                }

                bool more;
                try
                {
                    more = await ServeAsync().ConfigureAwait(false);
                }
                finally
                {
                    if (logged)
                    {
                        EndLog();
                    }
                }

                if (!more)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (IsConnectionError(e))
        {
            // The client went away or a deadline closed it: nothing is owed to anyone.
        }
        finally
        {
            _phase = Phase.Closed;
            Deadlines.Remove(this);
            _in.Release();
            _out.Release();
            _response.Release();
            RequestHeadPool.Return(_head);
            _head = RequestHeadPool.None;
            _client.Close();
        }
    }

    /// <summary>
    /// Ends the connection for a stopping listener: at once when it waits for a request, else after the response
    /// in progress (which then says <c>Connection: close</c>).
    /// </summary>
    public void Stop()
    {
        _stopping = true;
        if (_phase == Phase.Idle)
        {
            _client.Wake();
        }
        else if (_phase == Phase.Warm)
        {
            Cool();
        }
    }

    /// <summary>Closes the connection with a reset (an ACL applied later covers the client).</summary>
    public void Reset() => _client.Close(reset: true);

    public void Expire()
    {
        if (Interlocked.Exchange(ref _expired, 1) != 0)
        {
            return;
        }

        if (ExpireRelay())
        {
            return;
        }

        // A warm read past its moment: cancelled, and the connection goes idle (or closes, if its idle time is up).
        if (_phase == Phase.Warm)
        {
            Cool();
            return;
        }

        // Waiting for a request: the pending read ends as if at EOF and the loop closes, or answers 408 for a head
        // that is late. Closing a socket under a pending read would make the kernel send a reset instead of a FIN.
        if (_phase is Phase.Idle or Phase.Head)
        {
            Volatile.Write(ref _woken, 1);
            _client.Wake();
            return;
        }

        _client.Close();
    }

    private void SetDeadline(long deadline)
    {
        Volatile.Write(ref _expired, 0);
        Volatile.Write(ref _deadline, deadline);
    }

    private bool TimedOut => Volatile.Read(ref _expired) != 0 || Volatile.Read(ref _woken) != 0;

    private TimeSpan ClientTimeout => TimeSpan.FromSeconds(Vserver.Config.ClientTimeout is > 0 and var t ? t : DefaultClientTimeoutSeconds);

    /// <summary>Waits for the next request's head; false when the connection is over (closed, idle too long, refused).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> NextRequestAsync()
    {
        if (_in.IsEmpty)
        {
            if (_stopping)
            {
                return false;
            }

            var idleDeadline = Deadlines.After(ClientTimeout);
            switch (_client.Bare && (_served == 0 || _hot) ? await WarmReadAsync(idleDeadline).ConfigureAwait(false) : Warmth.Cooled)
            {
                case Warmth.Closed:
                    return false;
                case Warmth.Cooled when !await IdleAsync(idleDeadline).ConfigureAwait(false):
                    return false;
            }
        }

        _phase = Phase.Head;
        if (_head == RequestHeadPool.None)
        {
            _head = RequestHeadPool.Rent();
        }

        var vserver = Vserver;
        var limits = vserver.Limits;
        var headDeadline = Deadlines.After(vserver.Profile.HeadTimeout);
        SetDeadline(Math.Min(headDeadline, Deadlines.After(vserver.Profile.HeadPacketGap)));
        var scanned = 0;
        while (true)
        {
            if (!_in.IsEmpty && _in.Span[scanned..].Contains((byte)'\n') || _in.Count >= limits.MaxHead)
            {
                _head.Reset();
                switch (RequestParser.Parse(_in.Span, limits, _head))
                {
                    case ParseOutcome.Complete:
                        _phase = Phase.Busy;
                        SetDeadline(Deadlines.After(ClientTimeout));
                        return true;
                    case ParseOutcome.Invalid:
                        await RefuseAsync(vserver, _head.Error).ConfigureAwait(false);
                        return false;
                    case ParseOutcome.NeedMore when _in.Count > limits.MaxHead:
                        // The parser checks the limits; this only guards the buffer if it ever did not.
                        await RefuseAsync(vserver, new ParseError(431, "request head larger than -maxHeaderLen")).ConfigureAwait(false);
                        return false;
                }
            }

            scanned = _in.Count;
            var n = await _in.ReadAsync(_client, 4096).ConfigureAwait(false);
            if (n == 0)
            {
                if (TimedOut && !_in.IsEmpty)
                {
                    await HeadTimedOutAsync(vserver).ConfigureAwait(false);
                }

                return false;
            }

            Interlocked.Add(ref vserver.Runtime.Counters.BytesFromClients, n);
            SetDeadline(Math.Min(headDeadline, Deadlines.After(vserver.Profile.HeadPacketGap)));
        }
    }

    private static bool IsConnectionError(Exception e) =>
        e is SocketException or IOException or ObjectDisposedException or OperationCanceledException
        or System.Security.Authentication.AuthenticationException;
}
