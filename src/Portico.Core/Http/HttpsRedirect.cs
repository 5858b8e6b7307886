namespace Portico.Http;

/// <summary>Where a <c>-redirectFromPort</c> listener sends plain-HTTP clients.</summary>
internal static class HttpsRedirect
{
    /// <summary>
    /// <c>-httpsRedirectUrl</c> when given: a URL with no path of its own keeps the request's path and query; one
    /// with a path is used as it is. Without it, the same host on the SSL vserver's port.
    /// </summary>
    public static string Location(HttpVserver vserver, string host, string pathAndQuery)
    {
        if (vserver.Config.Redirect?.Url is { } url)
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var u) && u.AbsolutePath != "/" ? url : url.TrimEnd('/') + pathAndQuery;
        }

        var port = vserver.Config.Port;
        return $"https://{host}{(port is 443 or 0 ? "" : $":{port}")}{pathAndQuery}";
    }
}
