using Microsoft.AspNetCore.Http;

namespace Portico.Http.Pipeline;

/// <summary>
/// The first step of every HTTP/2 request: find the vserver of the connection's listener and count the request.
/// The policies come next (<see cref="PolicyMiddleware"/>); everything after runs in YARP.
/// </summary>
internal static class EntryMiddleware
{
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var connection = context.Features.Get<VserverConnection>();
        if (connection is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        var vserver = connection.Slot.Current;
        Interlocked.Increment(ref vserver.Runtime.Counters.Requests);

        // Kestrel sees the decrypted stream Portico handed it: the request came over TLS all the same.
        if (connection.Tls is not null)
        {
            context.Request.Scheme = "https";
        }

        context.Features.Set(new HttpRequestState(vserver, connection));
        return next(context);
    }
}
