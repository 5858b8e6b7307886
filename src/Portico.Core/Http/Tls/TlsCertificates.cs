using System.Net.Security;
using System.Security.Authentication;

namespace Portico.Http.Tls;

/// <summary>
/// The certificates of one SSL vserver, compiled for the handshake: SNI names looked up exactly, then
/// as <c>*.</c> wildcards (one label, RFC 6125 §6.4.3), then the server certificate (bound without
/// <c>-SNICert</c>). Built with every config change, so a new or updated certificate serves the next
/// handshake while established connections keep theirs.
/// </summary>
internal sealed class TlsCertificates
{
    private static readonly List<SslApplicationProtocol> Alpn = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
    private static readonly List<SslApplicationProtocol> Http11Only = [SslApplicationProtocol.Http11];
    private readonly bool _http2;

    private readonly Dictionary<string, SslServerAuthenticationOptions> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SslServerAuthenticationOptions> _wildcard = new(StringComparer.OrdinalIgnoreCase);
    private readonly SslServerAuthenticationOptions? _default;

    /// <param name="http2">False offers only http/1.1 in ALPN (vservers whose profile has -eTag or -expires: they run on the HTTP/1.1 engine).</param>
    public TlsCertificates(LoadedCertificate? server, IEnumerable<LoadedCertificate> sni, bool http2 = true)
    {
        _http2 = http2;
        _default = server is null ? null : Options(server);
        foreach (var cert in sni)
        {
            var options = Options(cert);
            foreach (var name in cert.DnsNames)
            {
                if (name.StartsWith("*.", StringComparison.Ordinal))
                {
                    _wildcard.TryAdd(name[2..], options);
                }
                else
                {
                    _exact.TryAdd(name, options);
                }
            }
        }

        Count = (server is null ? 0 : 1) + sni.Count();
    }

    /// <summary>Certificates bound (server and SNI).</summary>
    public int Count { get; }

    /// <summary>True when the vserver can complete a handshake with a client that sends no SNI.</summary>
    public bool HasServerCertificate => _default is not null;

    /// <summary>The options for a client asking for <paramref name="serverName"/>; null when no certificate fits.</summary>
    public SslServerAuthenticationOptions? Select(string? serverName)
    {
        if (!string.IsNullOrEmpty(serverName))
        {
            if (_exact.TryGetValue(serverName, out var exact))
            {
                return exact;
            }

            var dot = serverName.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && _wildcard.TryGetValue(serverName[(dot + 1)..], out var wild))
            {
                return wild;
            }
        }

        return _default;
    }

    private SslServerAuthenticationOptions Options(LoadedCertificate cert) => new()
    {
        ServerCertificateContext = cert.Context,
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ApplicationProtocols = _http2 ? Alpn : Http11Only,
        ClientCertificateRequired = false,
    };
}
