using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Http.Tls;

/// <summary>
/// A certificate read from its files, ready for handshakes: the leaf with its key, the chain sent to
/// clients (built once, offline) and the names SNI matches against.
/// </summary>
public sealed class LoadedCertificate
{
    private readonly X509Certificate2Collection _intermediates;
    private SslStreamCertificateContext? _context;

    internal LoadedCertificate(X509Certificate2 leaf, X509Certificate2Collection intermediates)
    {
        Leaf = leaf;
        _intermediates = intermediates;
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

    /// <summary>The leaf and its intermediates, as every handshake sends them (built once, on first use).</summary>
    public SslStreamCertificateContext Context => _context ??= SslStreamCertificateContext.Create(Leaf, _intermediates, offline: true);

    /// <summary>False for a CA or intermediate certificate added without a key: it can be linked, not bound.</summary>
    public bool HasKey => Leaf.HasPrivateKey;

    /// <summary>This certificate with <paramref name="linked"/> (its issuers, from <c>link ssl certKey</c>) after its own intermediates.</summary>
    internal LoadedCertificate WithChain(IEnumerable<X509Certificate2> linked)
    {
        var all = new X509Certificate2Collection(_intermediates);
        foreach (var c in linked.Where(c => !_intermediates.Contains(c)))
        {
            all.Add(c);
        }

        return new LoadedCertificate(Leaf, all);
    }

    /// <summary>Lower-case DNS names (SAN, else CN); <c>*.example.com</c> entries are wildcards.</summary>
    public IReadOnlyList<string> DnsNames { get; }
}
