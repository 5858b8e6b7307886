using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Portico.ClientIp.ProxyProtocol;

/// <summary>
/// Reads the PROXY header a vserver requires from a new client connection, bounded in time and bytes: a
/// client that sends no header, a broken one, or too slow a one is refused, never waited on. Bytes the
/// client sent after the header in the same segments are handed back to be relayed first.
/// </summary>
public static class ProxyHeaderReceiver
{
    /// <summary>Reads from an accepted L4 socket. Dispose the result to return its buffer.</summary>
    public static async ValueTask<ProxyReceived> ReceiveAsync(Socket socket, ClientIpOptions options, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxProxyHeaderBytes);
        var filled = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ProxyHeaderTimeout);
        try
        {
            while (true)
            {
                int n;
                try
                {
                    n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return Fail(buffer, ProxyReject.Timeout, TimeoutMessage(options, filled));
                }

                if (n == 0)
                {
                    return Fail(buffer, filled == 0 ? ProxyReject.Missing : ProxyReject.Malformed,
                        $"the client closed after {filled} byte(s), before a complete PROXY header");
                }

                filled += n;
                switch (ProxyHeaderParser.Parse(buffer.AsSpan(0, filled), options.MaxProxyHeaderBytes, out var header, out var length, out var error))
                {
                    case ProxyParseStatus.Complete:
                        return new ProxyReceived(header, null, null, buffer, length, filled - length);
                    case ProxyParseStatus.Missing:
                        return Fail(buffer, ProxyReject.Missing, error!);
                    case ProxyParseStatus.Malformed:
                        return Fail(buffer, ProxyReject.Malformed, error!);
                    default:
                        if (filled == buffer.Length)
                        {
                            return Fail(buffer, ProxyReject.Malformed, $"no complete PROXY header in {filled} bytes");
                        }

                        break;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>
    /// Reads from a Kestrel connection's input (before TLS): the header is consumed, everything after it
    /// stays in the pipe for the next middleware.
    /// </summary>
    public static async ValueTask<ProxyReceived> ReadAsync(PipeReader input, ClientIpOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ProxyHeaderTimeout);
        var scratch = ArrayPool<byte>.Shared.Rent(options.MaxProxyHeaderBytes);
        try
        {
            while (true)
            {
                ReadResult read;
                try
                {
                    read = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return Fail(null, ProxyReject.Timeout, TimeoutMessage(options, 0));
                }

                var buffer = read.Buffer;
                var size = (int)Math.Min(buffer.Length, options.MaxProxyHeaderBytes);
                buffer.Slice(0, size).CopyTo(scratch);
                var status = ProxyHeaderParser.Parse(scratch.AsSpan(0, size), options.MaxProxyHeaderBytes, out var header, out var length, out var error);
                if (status == ProxyParseStatus.Complete)
                {
                    input.AdvanceTo(buffer.GetPosition(length));
                    return new ProxyReceived(header, null, null, null, 0, 0);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (status == ProxyParseStatus.NeedMore && read.IsCompleted)
                {
                    return Fail(null, buffer.Length == 0 ? ProxyReject.Missing : ProxyReject.Malformed,
                        $"the client closed after {buffer.Length} byte(s), before a complete PROXY header");
                }

                if (status != ProxyParseStatus.NeedMore)
                {
                    return Fail(null, status == ProxyParseStatus.Missing ? ProxyReject.Missing : ProxyReject.Malformed, error!);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static string TimeoutMessage(ClientIpOptions options, int received) =>
        $"no complete PROXY header within {options.ProxyHeaderTimeout.TotalMilliseconds:0} ms ({received} byte(s) received)";

    private static ProxyReceived Fail(byte[]? buffer, ProxyReject reject, string error)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new ProxyReceived(null, reject, error, null, 0, 0);
    }
}

/// <summary>
/// The outcome of reading a PROXY header: the header, or why the connection must be refused. On an L4
/// socket, <see cref="Leftover"/> holds client bytes that arrived behind the header (relay them first).
/// </summary>
public sealed class ProxyReceived(ProxyHeader? header, ProxyReject? reject, string? error, byte[]? buffer, int headerLength, int leftoverLength) : IDisposable
{
    private byte[]? _buffer = buffer;

    public ProxyHeader? Header { get; } = header;

    public ProxyReject? Reject { get; } = reject;

    public string? Error { get; } = error;

    /// <summary>Client data read past the header (possibly empty).</summary>
    public ReadOnlyMemory<byte> Leftover => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(headerLength, leftoverLength);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
