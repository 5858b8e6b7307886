using System.Net;
using System.Net.Sockets;
using Portico.Testing;
using System.Text;

namespace Portico.Core.Tests.ClientIp;

/// <summary>
/// An HTTP/1.1 backend that expects a version 1 PROXY line first on every connection and answers every
/// request on that connection with that line (keep-alive): a connection reused for another client would
/// answer with the wrong client, which is what the tests look for.
/// </summary>
internal sealed class ProxyAwareHttpBackend : IAsyncDisposable
{
    private readonly LoopbackListener _listener;
    private int _connections;

    private ProxyAwareHttpBackend() => _listener = new LoopbackListener(ServeAsync);

    public int Port => _listener.Port;

    /// <summary>Connections that sent a PROXY line and then at least one request.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static ProxyAwareHttpBackend Start() => new();

    private async Task ServeAsync(Socket s, CancellationToken stop)
    {
        using (s)
        {
            var pending = new StringBuilder();
            var buffer = new byte[4096];
            string? proxyLine = null;
            var served = false;
            try
            {
                while (true)
                {
                    var n = await s.ReceiveAsync(buffer, SocketFlags.None, stop);
                    if (n == 0)
                    {
                        return;
                    }

                    pending.Append(Encoding.Latin1.GetString(buffer, 0, n));
                    if (proxyLine is null)
                    {
                        var eol = pending.ToString().IndexOf("\r\n", StringComparison.Ordinal);
                        if (eol < 0)
                        {
                            continue;
                        }

                        proxyLine = pending.ToString(0, eol);
                        pending.Remove(0, eol + 2);
                        if (!proxyLine.StartsWith("PROXY ", StringComparison.Ordinal))
                        {
                            return;
                        }
                    }

                    // Answer each complete request (no bodies in these tests); close when asked to.
                    int end;
                    while ((end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                    {
                        var request = pending.ToString(0, end);
                        pending.Remove(0, end + 4);
                        if (!served)
                        {
                            // Counted once it carries a request: a health probe sends its PROXY line and leaves.
                            served = true;
                            Interlocked.Increment(ref _connections);
                        }

                        var close = request.Contains("Connection: close", StringComparison.OrdinalIgnoreCase);
                        var body = Encoding.ASCII.GetBytes(proxyLine);
                        var head = $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n{(close ? "Connection: close\r\n" : "")}\r\n";
                        await s.SendAsync(Encoding.ASCII.GetBytes(head).Concat(body).ToArray(), SocketFlags.None);
                        if (close)
                        {
                            s.Shutdown(SocketShutdown.Both);
                            return;
                        }
                    }
                }
            }
            catch (Exception)
            {
            }
        }
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
