using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Portico.Capture.Tap;

/// <summary>
/// Kestrel connection middleware placed after TLS on every L7 listener: when a decrypted-tap capture covers
/// the listener's vserver, the connection's (already decrypted) transport is wrapped so its bytes reach the
/// tap; otherwise the connection passes through with one check.
/// </summary>
internal static class TapConnectionMiddleware
{
    public static ConnectionDelegate Wrap(ConnectionDelegate next, ConnectionTaps taps, Func<string> vserver) => connection =>
        taps.Active && connection.RemoteEndPoint is IPEndPoint client && connection.LocalEndPoint is IPEndPoint vip
            && taps.OpenClient(vserver(), client, vip) is { } tap
            ? TappedAsync(connection, next, tap)
            : next(connection);

    private static async Task TappedAsync(ConnectionContext connection, ConnectionDelegate next, TapConnection tap)
    {
        var original = connection.Transport;
        var stream = new TapStream(original.Input.AsStream(leaveOpen: true), original.Output.AsStream(leaveOpen: true), tap, readsAreToServer: true);
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        connection.Transport = new Pipe(input, output);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        catch
        {
            tap.Abort();
            throw;
        }
        finally
        {
            stream.Closed();
            connection.Transport = original;
            try
            {
                await input.CompleteAsync().ConfigureAwait(false);
                await output.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
            {
                // Kestrel completed them already, or the client is gone: nothing is left to flush.
            }
        }
    }

    private sealed class Pipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
