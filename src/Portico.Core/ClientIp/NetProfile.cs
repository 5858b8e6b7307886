using System.Net;
using Portico.ClientIp.ProxyProtocol;
using Portico.CommandLanguage;
using Portico.Runtime;

namespace Portico.ClientIp;

/// <summary>
/// A net profile (<c>add ns netProfile</c>): how connections of the vservers and services that name it
/// (<c>-netProfile</c>) carry the client's address. On a vserver, <c>-proxyProtocol ENABLED</c> means its
/// clients (an upstream balancer) must start with a PROXY header; on a service or service group, that
/// Portico sends one to the server. <see cref="SourceIp"/> pins the source address of server connections.
/// </summary>
/// <param name="ProxyProtocol">Accept (vserver) or send (service) a PROXY protocol header.</param>
/// <param name="TxVersion">The version sent to services (<c>-proxyProtocolTxVersion</c>, V1 by default); a vserver accepts both.</param>
/// <param name="SourceIp">The source address of server connections instead of the SNIPs of the server's subnet; null for those.</param>
public sealed record NetProfile(string Name, bool ProxyProtocol, ProxyProtocolVersion TxVersion, IPAddress? SourceIp, IReadOnlyList<KeptOption> Kept);
