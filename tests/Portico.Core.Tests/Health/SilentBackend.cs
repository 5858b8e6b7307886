using System.Net;
using System.Net.Sockets;

namespace Portico.Core.Tests.Health;

/// <summary>
/// A host that stops answering: a listener that never accepts, with its accept queue filled, so the
/// kernel drops further SYNs and a connect hangs until it times out (a real L4TOUT, no firewall needed).
/// </summary>
internal sealed class SilentBackend : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _fillers = [];

    private SilentBackend(Socket listener) => _listener = listener;

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public static async Task<SilentBackend> StartAsync()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var backend = new SilentBackend(listener);

        // Backlog 0 still queues one connection (Linux allows backlog + 1); fill the queue until a connect hangs.
        for (var i = 0; i < 8; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await s.ConnectAsync(backend.EndPoint, cts.Token);
                backend._fillers.Add(s);
            }
            catch (OperationCanceledException)
            {
                s.Dispose();
                return backend;
            }
        }

        throw new InvalidOperationException("the accept queue never filled");
    }

    public void Dispose()
    {
        foreach (var s in _fillers)
        {
            s.Dispose();
        }

        _listener.Dispose();
    }
}
