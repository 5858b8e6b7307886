using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Portico.Http.Pipeline;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Portico.Http.Transforms;

/// <summary>
/// What Portico changes in every forwarded request and response, as YARP transforms:
/// the Host header passes unchanged (as on NetScaler); X-Forwarded-For and X-Forwarded-Proto are set
/// from the connection, replacing whatever the client sent; a service with <c>-cip ENABLED</c> gets the
/// client's address in its header, a client's own copy of that header removed first; the response
/// records the member's time to first byte and carries the COOKIEINSERT cookie. Rewrite policies edit the
/// client's fields first (Portico's own then replace any copy a rewrite made, as on the engine) and the server's
/// response fields before Portico adds its cookie.
/// </summary>
internal sealed class PorticoTransformProvider(TimeProvider time, RewriteTransforms rewrite) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        context.AddOriginalHost(true);
        context.UseDefaultForwarders = false;
        context.AddRequestTransform(RewriteTransforms.OnRequest);
        context.AddXForwardedFor(action: ForwardedTransformActions.Set);
        context.AddXForwardedProto(action: ForwardedTransformActions.Set);
        context.AddRequestTransform(DropMovedContentLength);
        context.AddRequestTransform(InsertClientIp);
        context.AddRequestTransform(Backends.PerClientConnections.TagAsync);
        context.AddResponseTransform(rewrite.OnResponse);
        context.AddResponseTransform(OnResponse);
    }

    /// <summary>
    /// On a request with both Transfer-Encoding and Content-Length, Kestrel obeys Transfer-Encoding and moves
    /// the Content-Length value to an <c>X-Content-Length</c> header (RFC 9112 section 6.3: a recipient must
    /// not forward the Content-Length of such a message). That header is Kestrel's, not the client's: the
    /// server gets neither.
    /// </summary>
    private static ValueTask DropMovedContentLength(RequestTransformContext context)
    {
        if (context.HttpContext.Request.Headers.ContainsKey(HeaderNames.TransferEncoding))
        {
            context.ProxyRequest.Headers.Remove(MovedContentLength);
        }

        return ValueTask.CompletedTask;
    }

    private const string MovedContentLength = "X-Content-Length";

    private static ValueTask InsertClientIp(RequestTransformContext context)
    {
        var state = context.HttpContext.Features.Get<HttpRequestState>();
        if (state?.Member is { Settings.ClientIpEnabled: true } member)
        {
            var header = member.Settings.ClientIpHeader ?? state.Vserver.ClientIpHeader;

            // Never trust the client's value: NetScaler replaces the header, it does not append.
            context.ProxyRequest.Headers.Remove(header);
            context.ProxyRequest.Headers.TryAddWithoutValidation(header, state.Connection.Remote.Address.ToString());
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask OnResponse(ResponseTransformContext context)
    {
        var state = context.HttpContext.Features.Get<HttpRequestState>();
        if (state?.Member is not { } member)
        {
            return ValueTask.CompletedTask;
        }

        if (context.ProxyResponse is not null)
        {
            member.Counters.RecordResponseTime((long)Stopwatch.GetElapsedTime(state.SentAt).TotalMicroseconds);
        }

        if (state.CookieToSet is { } value)
        {
            context.HttpContext.Response.Headers.Append(HeaderNames.SetCookie, state.Vserver.PersistenceCookie(value, time));
        }

        return ValueTask.CompletedTask;
    }
}
