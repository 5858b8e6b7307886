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

    // A table of many rules reads the same few values once per rule: each is made text once per request.
    private string? _policyMethod;
    private string? _policyTarget;
    private string? _policyHost;
    private bool _policyHostRead;

    /// <summary>Forgets the previous request's values (called as each request starts).</summary>
    private void ResetPolicyValues()
    {
        _policyMethod = null;
        _policyTarget = null;
        _policyHost = null;
        _policyHostRead = false;
    }

    string IPolicyRequest.Method => Late?.Method ?? (_policyMethod ??= Encoding.ASCII.GetString(_in.Span[_head.Method]));

    string IPolicyRequest.Target => Late?.Target ?? (_policyTarget ??= Url());

    string? IPolicyRequest.Host
    {
        get
        {
            if (Late is { } late)
            {
                return late.Host;
            }

            if (!_policyHostRead)
            {
                _policyHost = HostName();
                _policyHostRead = true;
            }

            return _policyHost;
        }
    }

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
