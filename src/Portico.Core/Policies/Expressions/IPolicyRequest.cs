using System.Net;

namespace Portico.Policies.Expressions;

/// <summary>
/// What a compiled policy expression reads of one exchange: a small view both data paths implement (the
/// HTTP/1.1 engine over its parsed request head, the HTTP/2 path over the ASP.NET request), so one compiled
/// expression serves both. Lookups that find nothing return null; the expression turns that into NetScaler's
/// empty text (<c>HTTP.REQ.HEADER("X")</c> of a missing header is "" and <c>.EXISTS</c> is false).
/// </summary>
public interface IPolicyRequest
{
    /// <summary>The request method as sent (<c>GET</c>).</summary>
    string Method { get; }

    /// <summary>The request target as sent: <c>/a/b?x=1</c> (<c>HTTP.REQ.URL</c>).</summary>
    string Target { get; }

    /// <summary>The host the client asked for, without the port (<c>HTTP.REQ.HOSTNAME</c>); null when none.</summary>
    string? Host { get; }

    /// <summary>The first field named <paramref name="name"/> (case-insensitive), null when absent.</summary>
    string? Header(string name);

    /// <summary>The value of the cookie <paramref name="name"/> in the Cookie field, null when absent.</summary>
    string? Cookie(string name);

    /// <summary>The client's address (<c>CLIENT.IP.SRC</c>).</summary>
    IPAddress ClientIp { get; }

    /// <summary>The address the client connected to (<c>CLIENT.IP.DST</c>).</summary>
    IPAddress LocalIp { get; }

    /// <summary>The port the client connected to (<c>CLIENT.TCP.DSTPORT</c>).</summary>
    int LocalPort { get; }

    /// <summary>True when the client connection is TLS (<c>CLIENT.SSL.IS_SSL</c>).</summary>
    bool IsSsl { get; }

    /// <summary>True when the request passed the engine's checks (<c>HTTP.REQ.IS_VALID</c>).</summary>
    bool IsValid { get; }

    /// <summary>The server's status code on the response side (<c>HTTP.RES.STATUS</c>); 0 on the request side.</summary>
    int ResponseStatus { get; }

    /// <summary>The first response field named <paramref name="name"/>; null when absent or on the request side.</summary>
    string? ResponseHeader(string name);
}
