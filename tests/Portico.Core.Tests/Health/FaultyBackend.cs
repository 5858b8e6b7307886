using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portico.Core.Tests.Health;

/// <summary>What a <see cref="FaultyBackend"/> does with every other request that is not its health URL.</summary>
public enum Fault
{
    /// <summary>Answers properly: the backend is healthy again.</summary>
    None,

    /// <summary>Sends the status line, headers and part of the body, then resets the connection (RST).</summary>
    ResetMidResponse,

    /// <summary>Answers bytes that are not HTTP, then closes.</summary>
    NotHttp,

    /// <summary>Resets the connection as soon as it is accepted (an L4 member that drops everything).</summary>
    ResetOnAccept,
}

/// <summary>
/// A real HTTP/1.1 server on loopback (keep-alive) that answers <c>GET /health</c> 200 every time, and fails
/// every other real request the way <see cref="Fault"/> says: the member a monitor alone finds healthy.
/// Health probes are not counted as requests.
/// </summary>
internal sealed class FaultyBackend : IAsyncDisposable
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Backend: faulty\r\nContent-Length: 6\r\n\r\nfaulty";
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _requests;
    private int _failed;

    private FaultyBackend(Socket listener, Fault fault)
    {
        _listener = listener;
        Fault = fault;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    public volatile Fault Fault;

    /// <summary>Requests other than the health URL received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests (or, for <see cref="Fault.ResetOnAccept"/>, connections) it failed on purpose.</summary>
    public int Failed => Volatile.Read(ref _failed);

    public static FaultyBackend Start(Fault fault)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(512);
        return new FaultyBackend(socket, fault);
    }

    private async Task AcceptAsync()
    {
        var connections = 0;
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            // Every other connection, so that monitors (which connect and reset) pass half the time at least.
            if (Fault == Fault.ResetOnAccept && connections++ % 2 == 0)
            {
                Interlocked.Increment(ref _failed);
                Reset(s);
                continue;
            }

            _ = ServeAsync(s);
        }
    }

    private async Task ServeAsync(Socket s)
    {
        try
        {
            using (s)
            {
                var buffer = new byte[8192];
                var pending = new StringBuilder();
                while (true)
                {
                    var end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (end < 0)
                    {
                        var n = await s.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                        if (n == 0)
                        {
                            return;
                        }

                        pending.Append(Encoding.ASCII.GetString(buffer, 0, n));
                        continue;
                    }

                    var head = pending.ToString(0, end);
                    pending.Remove(0, end + 4);
                    if (head.StartsWith("GET /health ", StringComparison.Ordinal))
                    {
                        await s.SendAsync(Encoding.ASCII.GetBytes(Ok), SocketFlags.None, _stop.Token);
                        continue;
                    }

                    var n2 = Interlocked.Increment(ref _requests);
                    var fault = Fault;
                    if (fault is Fault.None or Fault.ResetOnAccept || n2 % 2 == 0)
                    {
                        await s.SendAsync(Encoding.ASCII.GetBytes(Ok), SocketFlags.None, _stop.Token);
                        continue;
                    }

                    Interlocked.Increment(ref _failed);
                    if (fault == Fault.ResetMidResponse)
                    {
                        await s.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial"), SocketFlags.None, _stop.Token);
                        await Task.Delay(20, _stop.Token);
                        Reset(s);
                    }
                    else
                    {
                        await s.SendAsync(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2\r\n\0\0\0garbage"), SocketFlags.None, _stop.Token);
                        s.Shutdown(SocketShutdown.Both);
                    }

                    return;
                }
            }
        }
        catch (Exception)
        {
            // Probes and Portico reset connections too; that is not this server's problem.
        }
    }

    private static void Reset(Socket s)
    {
        try
        {
            s.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }

        s.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
