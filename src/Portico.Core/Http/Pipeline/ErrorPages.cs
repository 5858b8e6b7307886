using System.Text;
using Microsoft.AspNetCore.Http;

namespace Portico.Http.Pipeline;

/// <summary>
/// The short pages Portico answers with when it cannot forward a request: plain HTML naming the
/// status, what it means for the operator, and the vserver, with no backend detail.
/// </summary>
internal static class ErrorPages
{
    /// <summary>The reason phrase and the HTML body of the page for <paramref name="status"/> (502, 503, 504).</summary>
    public static (string Title, byte[] Body) Render(int status, string vserver)
    {
        var (title, why) = status switch
        {
            StatusCodes.Status503ServiceUnavailable => ("Service Unavailable", "No server behind this address is up to take the request."),
            StatusCodes.Status504GatewayTimeout => ("Gateway Timeout", "The server did not answer in time."),
            _ => ("Bad Gateway", "The server's answer could not be understood, or it could not be reached."),
        };
        return (title, Encoding.UTF8.GetBytes(
            $"<!DOCTYPE html>\n<html><head><title>{status} {title}</title></head>\n<body><h1>{status} {title}</h1>\n<p>{why}</p>\n<hr><p>Portico, vserver {System.Net.WebUtility.HtmlEncode(vserver)}</p></body></html>\n"));
    }

    public static Task WriteAsync(HttpContext context, int status, string vserver)
    {
        var (_, body) = Render(status, vserver);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = body.Length;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.Body.WriteAsync(body).AsTask();
    }
}
