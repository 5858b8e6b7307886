using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Http.Tls;

/// <summary>
/// A certificate read from its files, ready for handshakes: the leaf with its key, the chain sent to
/// clients (built once, offline) and the names SNI matches against.
/// </summary>
public sealed class LoadedCertificate
{
    internal LoadedCertificate(X509Certificate2 leaf, X509Certificate2Collection intermediates)
    {
        Leaf = leaf;
        Context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        var names = new List<string>();
        foreach (var ext in leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            names.AddRange(ext.EnumerateDnsNames());
        }

        // RFC 6125 says SAN wins when present; the subject CN is a fallback for old certificates.
        if (names.Count == 0 && leaf.GetNameInfo(X509NameType.SimpleName, false) is { Length: > 0 } cn)
        {
            names.Add(cn);
        }

        DnsNames = [.. names.Select(n => n.ToLowerInvariant()).Distinct()];
    }

    public X509Certificate2 Leaf { get; }

    /// <summary>The leaf and its intermediates, as every handshake sends them.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>Lower-case DNS names (SAN, else CN); <c>*.example.com</c> entries are wildcards.</summary>
    public IReadOnlyList<string> DnsNames { get; }
}
