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
    // Once a body was attached the head has left the input: the snapshot taken for response policies answers then.
    private RequestSnapshot? Late => _headConsumed ? _snapshot : null;

    string IPolicyRequest.Method => Late?.Method ?? Encoding.ASCII.GetString(_in.Span[_head.Method]);

    string IPolicyRequest.Target => Late?.Target ?? Url();

    string? IPolicyRequest.Host => Late is { } late ? late.Host : HostName();

    string? IPolicyRequest.Header(string name) => Late is { } late ? late.Header(name)
        : _head.Field(_in.Span, Encoding.ASCII.GetBytes(name)) is { } value ? Encoding.Latin1.GetString(_in.Span[value]) : null;

    string? IPolicyRequest.Cookie(string name) => Late is { } late ? late.Cookie(name)
        : _head.TryGetCookie(_in.Span, Encoding.ASCII.GetBytes(name), out var value) ? Encoding.Latin1.GetString(_in.Span[value]) : null;

    IPAddress IPolicyRequest.ClientIp => _connection.Remote.Address;

    IPAddress IPolicyRequest.LocalIp => _connection.Local.Address;

    int IPolicyRequest.LocalPort => _connection.Local.Port;

    bool IPolicyRequest.IsSsl => _connection.Tls is not null;

    // Only requests the parser accepted get this far; the refused ones were answered 4xx already.
    bool IPolicyRequest.IsValid => true;

    int IPolicyRequest.ResponseStatus => _policyResponse?.Status ?? 0;

    string? IPolicyRequest.ResponseHeader(string name) => PolicyResponseHeader(name);
}
