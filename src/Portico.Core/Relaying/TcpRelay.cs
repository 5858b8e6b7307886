using System.Buffers;
using System.Net.Sockets;
using Portico.Counters;
using Portico.Runtime;

namespace Portico.Relaying;

/// <summary>
/// Relays bytes between a client connection and a server connection, both ways, until both sides
/// are done. This is the hottest code Portico owns:
/// <list type="bullet">
/// <item>A direction waits for data with a zero-byte receive and rents a buffer only when bytes are
/// there, so an idle connection holds no buffer (the memory target is 8 KiB per idle pair).</item>
/// <item>Socket operations return pooled <see cref="ValueTask"/>s: nothing is allocated per read.</item>
/// <item>Backpressure is natural: a direction reads again only after the previous bytes were sent.</item>
/// <item>Half-close passes through: end of stream from one side becomes a FIN to the other, and the
/// other direction keeps flowing until it ends too.</item>
/// </list>
/// </summary>
public sealed partial class TcpRelay
{
    private readonly Socket _client;
    private readonly Socket _server;
    private readonly VserverCounters _vserver;
    private readonly ServiceCounters _service;
    private readonly int _bufferSize;
    private readonly RelayMode _mode;
    private readonly long _spliceAfterBytes;
    private int _aborted;
    private int _serverFailed;
    private long _fromServer;
    private long _toServer;

    public TcpRelay(long id, Socket client, Socket server, VserverCounters vserver, ServiceCounters service, int bufferSize, long idleTimeoutMs,
        RelayMode mode = RelayMode.Auto, long spliceAfterBytes = 256 * 1024)
    {
        Id = id;
        _client = client;
        _server = server;
        _vserver = vserver;
        _service = service;
        _bufferSize = bufferSize;
        _mode = mode;
        _spliceAfterBytes = spliceAfterBytes;
        IdleTimeoutMs = idleTimeoutMs;
        LastActivity = Environment.TickCount64;
    }

    public long Id { get; }

    /// <summary>The server-side socket: its local address and port are the source port this pair holds (counters read it).</summary>
    internal Socket ServerSocket => _server;
    /// <summary>The client's endpoint, for rules applied later (<c>apply ns acls</c>, <c>flush ns simpleacl</c>).</summary>
    public System.Net.IPEndPoint? Client { get; init; }

    /// <summary>The endpoint the client reached (the VIP).</summary>
    public System.Net.IPEndPoint? Local { get; init; }

    /// <summary><see cref="Environment.TickCount64"/> of the last byte relayed either way.</summary>
    internal long LastActivity;

    /// <summary>Milliseconds without a byte after which the sweeper closes the pair; 0 = never.</summary>
    public long IdleTimeoutMs { get; }

    /// <summary>Why the relay was cut short, if it was.</summary>
    public string? AbortReason { get; private set; }

    /// <summary>True when the server side broke first (reset, or refused what we sent), not the client nor Portico.</summary>
    public bool ServerFailed => Volatile.Read(ref _serverFailed) != 0;

    /// <summary>Bytes this pair relayed from the server to the client.</summary>
    public long BytesFromServer => Interlocked.Read(ref _fromServer);

    /// <summary>Bytes this pair relayed from the client to the server.</summary>
    public long BytesToServer => Volatile.Read(ref _toServer);

    /// <summary>The relay's buffer size: how much a server can take in one read before it is "taking data".</summary>
    public int BufferSize => _bufferSize;

    /// <summary>Relays until both directions ended, then closes both sockets.</summary>
    public async Task RunAsync()
    {
        var splice = _mode == RelayMode.Splice && Tap is null;
        var up = splice ? SplicePumpAsync(_client, _server, toServer: true) : PumpAsync(_client, _server, toServer: true);
        var down = splice ? SplicePumpAsync(_server, _client, toServer: false) : PumpAsync(_server, _client, toServer: false);
        await up.ConfigureAwait(false);
        await down.ConfigureAwait(false);
        _client.Dispose();
        _server.Dispose();
    }

    /// <summary>Resets both connections now (idle timeout, flush, a failed side).</summary>
    public void Abort(string reason)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        AbortReason = reason;
        Tap?.Abort();
        Reset(_client);
        Reset(_server);
        WakeSplicePumps();
    }

    internal void AbortIdle()
    {
        if (Volatile.Read(ref _aborted) == 0)
        {
            Interlocked.Increment(ref _vserver.IdleTimeouts);
        }

        Abort("idle timeout");
    }

    /// <summary>A pump failed; notes whether it was the server's side, before <see cref="Abort"/> resets both.</summary>
    private void Failed(Exception e, bool serverSide)
    {
        if (serverSide && Volatile.Read(ref _aborted) == 0
            && e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown })
        {
            Volatile.Write(ref _serverFailed, 1);
        }

        Abort(e is SocketException se ? se.SocketErrorCode.ToString() : "closed");
    }

    private static void Reset(Socket socket)
    {
        try
        {
            // Linger 0 makes close send RST: the peer learns at once that the other side failed.
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    private async Task PumpAsync(Socket from, Socket to, bool toServer)
    {
        byte[]? buffer = null;
        byte[]? probe = null;
        var relayed = 0L;
        var reading = true;
        try
        {
            while (true)
            {
                reading = true;
                int n;
                if (buffer is not null)
                {
                    n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                }
                else
                {
                    await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    if (from.Available > 0)
                    {
                        buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
                        n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                    }
                    else
                    {
                        // The zero-byte receive also completes on a stale readiness event with nothing to
                        // read (a dump after 8,000 connection set-ups found ~1 idle direction in 5 parked
                        // in a receive holding 64 KiB), and at end of stream. So wait with one byte instead:
                        // EOF returns 0, data returns its first byte and the rest is read behind it.
                        probe ??= new byte[1];
                        if (await from.ReceiveAsync(probe.AsMemory(), SocketFlags.None).ConfigureAwait(false) == 0)
                        {
                            Tap?.End(toServer);
                            to.Shutdown(SocketShutdown.Send);
                            return;
                        }

                        buffer = ArrayPool<byte>.Shared.Rent(_bufferSize);
                        buffer[0] = probe[0];
                        n = 1;
                        if (from.Available > 0)
                        {
                            n += await from.ReceiveAsync(buffer.AsMemory(1), SocketFlags.None).ConfigureAwait(false);
                        }
                    }
                }

                if (n == 0)
                {
                    Tap?.End(toServer);
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                LastActivity = Environment.TickCount64;
                Count(toServer, n);
                Tap?.Data(toServer, buffer.AsSpan(0, n));
                var sent = 0;
                reading = false;
                while (sent < n)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None).ConfigureAwait(false);
                }

                // A short read means the socket is drained: give the buffer back while we wait
                // (a full read that happened to empty the socket too).
                if (n < buffer.Length || from.Available == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }

                relayed += n;
                if (_mode == RelayMode.Auto && relayed >= _spliceAfterBytes && Tap is null)
                {
                    // A bulk flow: everything read so far is sent, so splice can take over in order.
                    if (buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = null;
                    }

                    await SplicePumpAsync(from, to, toServer).ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // Reading from the server or writing to it: the server's side failed.
            Failed(e, serverSide: toServer != reading);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private void Count(bool toServer, int n)
    {
        if (toServer)
        {
            _toServer += n; // one writer (the pump toward the server); read once both pumps ended
            Interlocked.Add(ref _vserver.BytesFromClients, n);
            Interlocked.Add(ref _service.BytesToServer, n);
        }
        else
        {
            Interlocked.Add(ref _fromServer, n);
            Interlocked.Add(ref _service.BytesFromServer, n);
            Interlocked.Add(ref _vserver.BytesToClients, n);
        }
    }
}
