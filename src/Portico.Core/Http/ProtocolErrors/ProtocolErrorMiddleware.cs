using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portico.Http.Pipeline;

namespace Portico.Http.ProtocolErrors;

/// <summary>
/// The first step of YARP's proxy pipeline: refuses what cannot be forwarded (a CONNECT: a vserver is not a
/// forward proxy) with 405 before a member is chosen, counted and logged through <see cref="ProtocolErrorLog"/>
/// rather than as the forwarder's stack trace, and not the member's fault. A body the client broke (a chunked
/// body that is not chunked) is Kestrel's to report: <see cref="BadRequestLoggers"/>.
/// </summary>
internal sealed class ProtocolErrorMiddleware(ProtocolErrorLog log)
{
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var state = context.Features.Get<HttpRequestState>()!;
        if (HttpMethods.IsConnect(context.Request.Method) && context.Features.Get<IHttpExtendedConnectFeature>() is not { IsExtendedConnect: true })
        {
            // Extended CONNECT (WebSockets over HTTP/2) is forwarded as an upgrade; a plain CONNECT asks for a tunnel.
            log.Report(state.Vserver.Runtime, state.Connection.Remote.ToString(), "CONNECT refused (405): a vserver is not a forward proxy");
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE";
            context.Response.Headers.Connection = "close";
            return Task.CompletedTask;
        }

        return next(context);
    }
}
