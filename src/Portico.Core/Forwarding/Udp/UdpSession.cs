using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Portico.Runtime;

namespace Portico.Forwarding.Udp;

/// <summary>
/// One client's UDP flow through a vserver: a connected socket toward the chosen member, and a loop
/// that relays the member's replies back to the client from the VIP. Datagrams stay datagrams; the
/// session ends when idle past its timeout or when the member refuses (ICMP port unreachable).
/// </summary>
internal sealed class UdpSession
{
    private readonly Socket _vip;
    private readonly Selection _selection;
    private int _closed;

    public UdpSession(Socket vip, SocketAddress client, Socket backend, Selection selection, long idleTimeoutMs)
    {
        _vip = vip;
        Client = client;
        Backend = backend;
        _selection = selection;
        IdleTimeoutMs = idleTimeoutMs;
        LastActivity = Environment.TickCount64;
    }

    public SocketAddress Client { get; }

    public Socket Backend { get; }

    public ServiceRuntime Member => _selection.Member.Service;

    public VserverRuntime ServedBy => _selection.ServedBy;

    public long IdleTimeoutMs { get; }

    /// <summary><see cref="Environment.TickCount64"/> of the last datagram either way.</summary>
    public long LastActivity;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Relays replies until the session closes; then releases the member.</summary>
    public async Task RunAsync(Action<UdpSession> onClosed)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(65536);
        try
        {
            while (true)
            {
                var n = await Backend.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                LastActivity = Environment.TickCount64;
                Interlocked.Add(ref Member.Counters.BytesFromServer, n);
                Interlocked.Add(ref ServedBy.Counters.BytesToClients, n);
                await _vip.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, Client).ConfigureAwait(false);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // The member said "port unreachable": count it as a failed connect, like TCP's refusal.
            Interlocked.Increment(ref Member.Counters.ConnectFailures);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Close();
            onClosed(this);
        }
    }

    public async ValueTask ForwardAsync(ReadOnlyMemory<byte> datagram)
    {
        LastActivity = Environment.TickCount64;
        Interlocked.Add(ref ServedBy.Counters.BytesFromClients, datagram.Length);
        Interlocked.Add(ref Member.Counters.BytesToServer, datagram.Length);
        try
        {
            await Backend.SendAsync(datagram, SocketFlags.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Close();
        }
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            Backend.Dispose();
            Member.Release();
        }
    }
}
