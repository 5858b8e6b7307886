using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using Portico.ClientIp.ProxyProtocol;

namespace Portico.Http.Tls;

/// <summary>What a client's TLS handshake settled, kept with its connection: PROXY v2 headers toward per-client members carry it.</summary>
internal sealed record TlsSession(string? HostName, SslProtocols Protocol, TlsCipherSuite Cipher, SslApplicationProtocol Alpn)
{
    public static TlsSession Of(SslStream ssl) =>
        new(ssl.TargetHostName, ssl.SslProtocol, ssl.NegotiatedCipherSuite, ssl.NegotiatedApplicationProtocol);

    /// <summary>Version 2 TLVs: ALPN, the SNI name (authority), the TLS version and cipher, as HAProxy sends them.</summary>
    public List<ProxyTlv> Tlvs()
    {
        var tlvs = new List<ProxyTlv>(3);
        if (!Alpn.Protocol.IsEmpty)
        {
            tlvs.Add(new ProxyTlv(ProxyTlvTypes.Alpn, Alpn.Protocol.ToArray()));
        }

        if (!string.IsNullOrEmpty(HostName))
        {
            tlvs.Add(new ProxyTlv(ProxyTlvTypes.Authority, Encoding.UTF8.GetBytes(HostName)));
        }

        // Portico offers TLS 1.2 and 1.3 only (docs/design/l7.md); OpenSSL's names.
        var version = Protocol switch
        {
            SslProtocols.Tls13 => "TLSv1.3",
            SslProtocols.Tls12 => "TLSv1.2",
            _ => Protocol.ToString(),
        };
        tlvs.Add(ProxyHeaderWriter.Ssl(version, Cipher.ToString()));
        return tlvs;
    }
}
