using System.Net;

namespace Portico.Http.Pipeline;

/// <summary>
/// Set on every accepted L7 connection by the listener's connection middleware: which listener it came
/// through and its two endpoints, read by every request on the connection without allocating.
/// </summary>
internal sealed class VserverConnection(HttpListenerSlot slot, IPEndPoint remote, IPEndPoint local, bool redirect)
{
    public HttpListenerSlot Slot { get; } = slot;

    public IPEndPoint Remote { get; } = remote;

    /// <summary>The client's address as headers carry it (X-Forwarded-For, -cip), formatted once per connection.</summary>
    public string RemoteAddress { get; } = remote.Address.ToString();

    public IPEndPoint Local { get; } = local;

    /// <summary>Where the client connected: <see cref="Local"/>, or the original destination a PROXY header named.</summary>
    public IPEndPoint Destination { get; init; } = local;

    /// <summary>True on a <c>-redirectFromPort</c> listener: every request is answered with a redirect.</summary>
    public bool Redirect { get; } = redirect;

    /// <summary>The client's TLS session on an SSL vserver; null for plain HTTP.</summary>
    public Tls.TlsSession? Tls { get; init; }
}

/// <summary>The vserver a listener serves, swapped in place on every config change.</summary>
internal sealed class HttpListenerSlot(HttpVserver vserver)
{
    private volatile HttpVserver _current = vserver;

    public HttpVserver Current
    {
        get => _current;
        set => _current = value;
    }
}
