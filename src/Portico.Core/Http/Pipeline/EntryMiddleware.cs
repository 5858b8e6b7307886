using Microsoft.AspNetCore.Http;

namespace Portico.Http.Pipeline;

/// <summary>
/// The first step of every L7 request: find the vserver of the connection's listener, count the request,
/// and answer at once on a <c>-redirectFromPort</c> listener. Everything after runs in YARP.
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
        if (connection.Redirect)
        {
            Interlocked.Increment(ref vserver.Runtime.Counters.Redirects);
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = RedirectLocation(context.Request, vserver);
            context.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }

        context.Features.Set(new HttpRequestState(vserver, connection));
        return next(context);
    }

    /// <summary>
    /// <c>-httpsRedirectUrl</c> when given: a URL with no path of its own keeps the request's path and
    /// query; one with a path is used as it is. Without it, the same host on the SSL vserver's port.
    /// </summary>
    internal static string RedirectLocation(HttpRequest request, HttpVserver vserver)
    {
        var pathAndQuery = request.PathBase + request.Path + request.QueryString;
        if (vserver.Config.Redirect?.Url is { } url)
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var u) && u.AbsolutePath != "/" ? url : url.TrimEnd('/') + pathAndQuery;
        }

        var port = vserver.Config.Port;
        return $"https://{request.Host.Host}{(port is 443 or 0 ? "" : $":{port}")}{pathAndQuery}";
    }
}
