using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Portico.Http.RequestBuffering;

/// <summary>
/// Reads a request's body, up to <see cref="Limit"/> bytes, before a member is chosen and a server connection
/// taken (HAProxy's <c>option http-buffer-request</c>). A client that uploads slowly then costs Portico one
/// client socket and at most <see cref="Limit"/> bytes, never a connection (or a <c>-maxClient</c> slot) of a
/// server: 2,000 slow POSTs hold no server connection until each body is in. A body larger than the bound is
/// forwarded as the buffered part followed by the rest as it streams, so the server sees the same bytes.
/// </summary>
internal static class RequestBodyBuffering
{
    /// <summary>The most a request's body is buffered (64 KiB: a form post, a JSON API call).</summary>
    public const int Limit = 64 * 1024;

    private const int FirstBuffer = 4 * 1024;

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        // An upgrade (WebSocket) carries no body to buffer: what follows the headers belongs to the new protocol.
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false } || request.ContentLength == 0
            || context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
            || context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true })
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // Grown as the body arrives, so a small body costs a small buffer even when its length is not announced.
        var bound = (int)Math.Min(request.ContentLength ?? Limit, Limit);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(bound, FirstBuffer));
        try
        {
            var filled = 0;
            var ended = false;
            try
            {
                while (filled < bound)
                {
                    if (filled == buffer.Length)
                    {
                        buffer = Grow(buffer, Math.Min(bound, buffer.Length * 2), filled);
                    }

                    var read = await request.Body.ReadAsync(buffer.AsMemory(filled, Math.Min(buffer.Length, bound) - filled), context.RequestAborted).ConfigureAwait(false);
                    if (read == 0)
                    {
                        ended = true;
                        break;
                    }

                    filled += read;
                }
            }
            catch (BadHttpRequestException e) when (e.Message.StartsWith("Unexpected end of request content", StringComparison.Ordinal))
            {
                // Kestrel's word for a client that closed before the body it announced was in: a client abort.
                Interlocked.Increment(ref context.Features.Get<Pipeline.HttpRequestState>()!.Vserver.Runtime.Counters.ClientAborts);
                return;
            }
            catch (BadHttpRequestException e)
            {
                // A body that breaks its own framing: the client's error, answered 400 by Portico, nobody forwarded
                // to. Kestrel has already reported it (BadRequestLoggers counts and logs it once).
                if (!context.Response.HasStarted)
                {
                    context.Response.StatusCode = e.StatusCode;
                    context.Response.Headers.Connection = "close";
                }

                return;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                // The client went away before its body was in: nothing to forward, nobody to answer, nobody's error.
                Interlocked.Increment(ref context.Features.Get<Pipeline.HttpRequestState>()!.Vserver.Runtime.Counters.ClientAborts);
                return;
            }

            ended |= filled == request.ContentLength;
            var original = request.Body;
            request.Body = ended ? new MemoryStream(buffer, 0, filled, writable: false) : new Utilities.PrefixedStream(buffer.AsMemory(0, filled), original, ownsInner: false);
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int size, int filled)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, filled).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }
}
