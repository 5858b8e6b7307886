using System.Net;

namespace Portico.ClientIp;

/// <summary>
/// Who a server connection is opened for: the client's address and port, and the address and port it
/// reached (the VIP, or the original destination a PROXY header from an upstream balancer named). USIP
/// binds <see cref="Client"/> as the source; a PROXY header toward the server carries both, plus
/// <see cref="Tlvs"/> (TLS details of an SSL vserver).
/// </summary>
public sealed record ProxiedClient(IPEndPoint Client, IPEndPoint Destination)
{
    /// <summary>Version 2 TLVs to send after the addresses (ALPN, authority, SSL); empty for L4.</summary>
    public IReadOnlyList<ProxyProtocol.ProxyTlv> Tlvs { get; init; } = [];
}
