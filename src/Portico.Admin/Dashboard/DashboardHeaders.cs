using Microsoft.AspNetCore.Http;

namespace Portico.Admin.Dashboard;

/// <summary>
/// The headers every dashboard answer carries. The Content-Security-Policy allows only the dashboard's own
/// files: no inline script or style, no other origin, no framing (so no clickjacking), no form posted elsewhere.
/// Nothing is cached: the pages show the live state and the answers name the farm.
/// </summary>
internal static class DashboardHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Apply(HttpResponse response)
    {
        var h = response.Headers;
        h.ContentSecurityPolicy = ContentSecurityPolicy;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        h.CacheControl = "no-store";
    }
}
