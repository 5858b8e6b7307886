using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portico.HighAvailability;

/// <summary>
/// Config sync between the nodes, over TCP on the nodes' own addresses (port 3010, NetScaler's HA sync port).
/// The secondary asks (<c>PTHA-SYNC 1 CONFIG</c>, or <c>FILES ssl</c>), the primary answers
/// <c>OK &lt;bytes&gt;</c> and the bytes, or <c>ERR &lt;why&gt;</c>. Only the configured peer's address is
/// answered. Bounded: a request line of 64 bytes, an answer of 32 MiB, 10 s for the whole exchange.
/// </summary>
public static class SyncChannel
{
    public const int Port = 3010;
    public const int MaxAnswer = 32 << 20;
    public const string ConfigRequest = "PTHA-SYNC 1 CONFIG";
    public const string SslFilesRequest = "PTHA-SYNC 1 FILES ssl";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>Serves one connection: <paramref name="answer"/> maps a request to its bytes, or throws <see cref="InvalidOperationException"/> with why not.</summary>
    public static async Task ServeAsync(Socket client, IPAddress? peer, Func<string, byte[]> answer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Bound);
        await using var stream = new NetworkStream(client, ownsSocket: true);
        var from = (client.RemoteEndPoint as IPEndPoint)?.Address;
        if (peer is null || from is null || !Normal(from).Equals(peer))
        {
            await WriteAsync(stream, $"ERR {from} is not this node's HA peer\n", [], timeout.Token).ConfigureAwait(false);
            return;
        }

        var request = await ReadLineAsync(stream, 64, timeout.Token).ConfigureAwait(false);
        byte[] body;
        try
        {
            body = answer(request);
        }
        catch (InvalidOperationException e)
        {
            await WriteAsync(stream, $"ERR {e.Message}\n", [], timeout.Token).ConfigureAwait(false);
            return;
        }

        await WriteAsync(stream, $"OK {body.Length.ToString(CultureInfo.InvariantCulture)}\n", body, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Asks the peer at <paramref name="peer"/> from this node's address; throws <see cref="IOException"/> with why it failed.</summary>
    public static async Task<byte[]> AskAsync(IPAddress self, IPAddress peer, string request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Bound);
        using var socket = new Socket(peer.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(self, 0));
            await socket.ConnectAsync(new IPEndPoint(peer, Port), timeout.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await WriteAsync(stream, request + "\n", [], timeout.Token).ConfigureAwait(false);
            var head = await ReadLineAsync(stream, 512, timeout.Token).ConfigureAwait(false);
            if (head.StartsWith("ERR ", StringComparison.Ordinal))
            {
                throw new IOException($"the peer refused: {head[4..]}");
            }

            if (!head.StartsWith("OK ", StringComparison.Ordinal) || !int.TryParse(head[3..], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > MaxAnswer)
            {
                throw new IOException($"the peer's answer is not understood: '{head}'");
            }

            var body = new byte[length];
            await stream.ReadExactlyAsync(body, timeout.Token).ConfigureAwait(false);
            return body;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new IOException(e is OperationCanceledException ? $"no answer from {peer}:{Port} within {Bound.TotalSeconds} s" : $"{peer}:{Port}: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new IOException($"{peer}:{Port} closed the connection mid-answer", e);
        }
    }

    private static IPAddress Normal(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private static async Task WriteAsync(Stream stream, string head, byte[] body, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head), cancellationToken).ConfigureAwait(false);
        if (body.Length > 0)
        {
            await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream, int max, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new EndOfStreamException();
            }

            if (one[0] == '\n')
            {
                return Encoding.UTF8.GetString([.. bytes]);
            }

            if (bytes.Count == max)
            {
                throw new IOException($"a line longer than {max} bytes");
            }

            bytes.Add(one[0]);
        }
    }
}
