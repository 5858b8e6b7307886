using System.Net;
using System.Text;
using Portico.Policies.Expressions;

namespace Portico.Http.Proxying;

/// <summary>
/// The request as policy expressions read it: straight from the parsed head in the input buffer, each value turned
/// into text only when a rule asks for it.
/// </summary>
internal sealed partial class Http1Connection : IPolicyRequest
{
    string IPolicyRequest.Method => Encoding.ASCII.GetString(_in.Span[_head.Method]);

    string IPolicyRequest.Target => Url();

    string? IPolicyRequest.Host => HostName();

    string? IPolicyRequest.Header(string name) =>
        _head.Field(_in.Span, Encoding.ASCII.GetBytes(name)) is { } value ? Encoding.Latin1.GetString(_in.Span[value]) : null;

    string? IPolicyRequest.Cookie(string name) =>
        _head.TryGetCookie(_in.Span, Encoding.ASCII.GetBytes(name), out var value) ? Encoding.Latin1.GetString(_in.Span[value]) : null;

    IPAddress IPolicyRequest.ClientIp => _connection.Remote.Address;

    IPAddress IPolicyRequest.LocalIp => _connection.Local.Address;

    int IPolicyRequest.LocalPort => _connection.Local.Port;

    bool IPolicyRequest.IsSsl => _connection.Tls is not null;

    // Only requests the parser accepted get this far; the refused ones were answered 4xx already.
    bool IPolicyRequest.IsValid => true;

    int IPolicyRequest.ResponseStatus => 0;

    string? IPolicyRequest.ResponseHeader(string name) => null;
}
