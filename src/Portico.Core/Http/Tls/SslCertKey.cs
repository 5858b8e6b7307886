using Portico.CommandLanguage;

namespace Portico.Http.Tls;

/// <summary>
/// A certificate and its private key (<c>add ssl certKey</c>), read from PEM files. The files are read
/// when the command applies and again whenever <c>update ssl certKey</c> names the pair.
/// </summary>
/// <param name="CertPath">The certificate file; a chain (leaf first, then intermediates) is allowed.</param>
/// <param name="KeyPath">The private key file; null when the key is in the certificate file, or there is none (a CA or intermediate certificate).</param>
/// <param name="Password">The passphrase of an encrypted key (<c>-passplain</c>); null when the key is clear.</param>
/// <param name="Revision">Raised by every <c>update ssl certKey</c> so a reload re-reads files whose content changed.</param>
public sealed record SslCertKey(string Name, string CertPath, string? KeyPath, string? Password, long Revision, IReadOnlyList<KeptOption> Kept)
{
    /// <summary>
    /// <c>link ssl certKey</c>: the certKey of the CA that issued this certificate. Handshakes send the linked
    /// certificates after this one, up the chain, as NetScaler does.
    /// </summary>
    public string? LinkedTo { get; init; }
}

/// <summary>A certificate bound to an SSL vserver (<c>bind ssl vserver v -certkeyName c [-SNICert]</c>).</summary>
/// <param name="Sni">True for an SNI certificate, chosen when the client asks for one of its names.</param>
public sealed record SslCertBinding(string Vserver, string CertKey, bool Sni);
