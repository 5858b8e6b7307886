using System.Net;
using Portico.Policies.Expressions;

namespace Portico.ContentSwitching;

/// <summary>
/// A TCP connection as a cs rule reads it: only the connection's values. Rules that read HTTP are refused when they
/// are bound to a TCP cs vserver, so the HTTP members are never reached; they say UNDEF if one ever is.
/// </summary>
public sealed class ConnectionRequest(IPEndPoint client, IPEndPoint local) : IPolicyRequest
{
    public string Method => throw Undefined();

    public string Target => throw Undefined();

    public string? Host => throw Undefined();

    public IPAddress ClientIp => client.Address;

    public IPAddress LocalIp => local.Address;

    public int LocalPort => local.Port;

    public bool IsSsl => false;

    public bool IsValid => true;

    public int ResponseStatus => throw Undefined();

    public string? Header(string name) => throw Undefined();

    public string? Cookie(string name) => throw Undefined();

    public string? ResponseHeader(string name) => throw Undefined();

    private static UndefinedValueException Undefined() => new("a TCP connection has no HTTP values");
}
