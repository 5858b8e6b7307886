using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Portico.Core.Tests.ClientIp;

/// <summary>
/// A raw TCP backend that keeps every byte each connection sent until the client half-closed, then
/// answers <c>ok</c> and closes: what a server that expects a PROXY header sees on the wire.
/// </summary>
internal sealed class RecordingBackend : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private RecordingBackend(Socket listener)
    {
        _listener = listener;
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>What each finished connection sent, in order of completion, with the peer it came from.</summary>
    public ConcurrentQueue<(IPEndPoint Peer, byte[] Bytes)> Received { get; } = new();

    public static RecordingBackend Start()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.Listen(128);
        return new RecordingBackend(s);
    }

    private async Task AcceptAsync()
    {
        while (true)
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

            _ = ServeAsync(s);
        }
    }

    private async Task ServeAsync(Socket s)
    {
        using (s)
        {
            var bytes = new MemoryStream();
            var buffer = new byte[4096];
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                deadline.CancelAfter(TimeSpan.FromSeconds(10));
                int n;
                while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
                {
                    bytes.Write(buffer, 0, n);
                }

                Received.Enqueue(((IPEndPoint)s.RemoteEndPoint!, bytes.ToArray()));
                await s.SendAsync("ok\n"u8.ToArray(), SocketFlags.None);
                s.Shutdown(SocketShutdown.Both);
            }
            catch (Exception)
            {
                // A probe that connects and resets, or a test that gave up: nothing to record.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
