using System.Net;
using System.Net.Sockets;

namespace Portico.Core.Tests.Forwarding.Tcp;

/// <summary>A one-connection backend whose behaviour the test scripts (half-close first, reset...).</summary>
internal sealed class ScriptedBackend : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Task _serving;

    public ScriptedBackend(Func<Socket, Task> script)
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _serving = ServeAsync(script);
    }

    public int Port { get; }

    /// <summary>Completes when the script ran on the first connection (rethrows what it threw).</summary>
    public Task Done => _serving;

    private async Task ServeAsync(Func<Socket, Task> script)
    {
        using var s = await _listener.AcceptAsync();
        await script(s);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        try
        {
            await _serving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
        }
    }
}
