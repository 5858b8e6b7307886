using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portico.Policies.Expressions;

namespace Portico.Http.Pipeline;

/// <summary>
/// One HTTP/2 request as policy expressions read it (the view the HTTP/1.1 engine gives over its parsed head):
/// Kestrel's request, <c>:authority</c> as the host, the raw <c>:path</c> as the URL; while response policies
/// run, the server's status and the response fields as they will be sent.
/// </summary>
internal sealed class Http2PolicyRequest(HttpContext context, VserverConnection connection) : IPolicyRequest
{
    private string? _host;
    private bool _hostRead;
    private string? _target;

    /// <summary>The server's status while response policies run; 0 on the request side.</summary>
    public int Responding { get; set; }

    public string Method => context.Request.Method;

    /// <summary>The target as the client sent it (<c>:path</c>): a rule compares what was on the wire, as on HTTP/1.1.</summary>
    public string Target => _target ??= context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw ? raw : "/";

    public string? Host
    {
        get
        {
            if (!_hostRead)
            {
                // :authority without its port, an IPv6 literal without its brackets (as the engine reads Host).
                var host = context.Request.Host;
                _host = host.HasValue ? host.Host.Trim('[', ']') : null;
                _hostRead = true;
            }

            return _host;
        }
    }

    public string? Header(string name) => context.Request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>HTTP/2 may split the Cookie field into several (RFC 9113 section 8.2.3): every one is searched.</summary>
    public string? Cookie(string name)
    {
        if (!context.Request.Headers.TryGetValue("Cookie", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            foreach (var pair in (value ?? "").AsSpan().Split(';'))
            {
                var text = value.AsSpan()[pair].Trim();
                var eq = text.IndexOf('=');
                if (eq > 0 && text[..eq].TrimEnd().SequenceEqual(name))
                {
                    return text[(eq + 1)..].TrimStart().ToString();
                }
            }
        }

        return null;
    }

    public IPAddress ClientIp => connection.Remote.Address;

    public IPAddress LocalIp => connection.Local.Address;

    public int LocalPort => connection.Local.Port;

    public bool IsSsl => connection.Tls is not null;

    // Kestrel refused what HTTP/2 does not allow before the request reached Portico.
    public bool IsValid => true;

    public int ResponseStatus => Responding;

    public string? ResponseHeader(string name) =>
        Responding != 0 && context.Response.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
