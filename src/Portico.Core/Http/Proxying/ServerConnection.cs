using System.Net.Sockets;
using Portico.Http.Parsing;
using Portico.Runtime;

namespace Portico.Http.Proxying;

/// <summary>
/// One connection from Portico to a member: its socket (or TLS stream), what has been read from it, and the
/// response being parsed. Between requests it waits in its member's <see cref="MemberPool"/>, holding no buffer.
/// </summary>
internal sealed class ServerConnection(ServiceRuntime member, Wire wire, string? serverName, DeadlineSweeper sweeper) : IExpiring
{
    private long _deadline;
    private int _expired;

    public ServiceRuntime Member { get; } = member;

    public Wire Wire { get; } = wire;

    /// <summary>The TLS server name the connection was opened with (SSL services), reused only for the same name.</summary>
    public string? ServerName { get; } = serverName;

    public InBuffer Input { get; } = new(16 * 1024);

    public ResponseHead Head { get; } = new();

    /// <summary>Requests this connection has carried (0 for a new one): a reused connection the server closed may be retried.</summary>
    public int Served { get; set; }

    /// <summary>When it went back to the pool (a timestamp), for the pool's idle timeout.</summary>
    public long IdleSince { get; set; }

    public long Deadline => Volatile.Read(ref _deadline);

    /// <summary>True once a deadline closed the connection: the pending read failed because of time, not the server.</summary>
    public bool TimedOut => Volatile.Read(ref _expired) != 0;

    public void SetDeadline(long deadline) => Volatile.Write(ref _deadline, deadline);

    public void Expire()
    {
        if (Interlocked.Exchange(ref _expired, 1) == 0)
        {
            Wire.Close();
        }
    }

    /// <summary>True when the server has not closed the idle connection: nothing readable (no EOF, no stray bytes).</summary>
    public bool LooksAlive()
    {
        try
        {
            return !Wire.Socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Close()
    {
        sweeper.Remove(this);
        Input.Release();
        Wire.Close();
    }
}
