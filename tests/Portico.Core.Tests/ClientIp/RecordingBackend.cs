using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Portico.Testing;

namespace Portico.Core.Tests.ClientIp;

/// <summary>
/// A raw TCP backend that keeps every byte each connection sent until the client half-closed, then
/// answers <c>ok</c> and closes: what a server that expects a PROXY header sees on the wire.
/// </summary>
internal sealed class RecordingBackend : IAsyncDisposable
{
    private readonly LoopbackListener _listener;

    private RecordingBackend() => _listener = new LoopbackListener(ServeAsync);

    public IPEndPoint EndPoint => _listener.EndPoint;

    /// <summary>What each finished connection sent, in order of completion, with the peer it came from.</summary>
    public ConcurrentQueue<(IPEndPoint Peer, byte[] Bytes)> Received { get; } = new();

    public static RecordingBackend Start() => new();

    private async Task ServeAsync(Socket s, CancellationToken stop)
    {
        using (s)
        {
            var bytes = new MemoryStream();
            var buffer = new byte[4096];
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
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

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
