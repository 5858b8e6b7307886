using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Http.Tls;

/// <summary>
/// Reads certificate and key files (PEM), once per version of the files: a config change that keeps a
/// certKey reuses the loaded certificate, an <c>update ssl certKey</c> or a changed file reads it again.
/// </summary>
public sealed class CertificateLoader
{
    private readonly ConcurrentDictionary<string, LoadedCertificate> _cache = new(StringComparer.Ordinal);

    /// <summary>Loads <paramref name="certKey"/>; throws <see cref="CertificateLoadException"/> naming the file at fault.</summary>
    public LoadedCertificate Load(SslCertKey certKey)
    {
        var key = $"{Stamp(certKey.CertPath)}|{(certKey.KeyPath is null ? "" : Stamp(certKey.KeyPath))}|{certKey.Password}|{certKey.Revision}";
        if (_cache.TryGetValue(key, out var loaded))
        {
            return loaded;
        }

        loaded = Read(certKey);
        _cache[key] = loaded;
        return loaded;
    }

    /// <summary>Loads <paramref name="certKey"/> with the certificates it is linked to (<c>link ssl certKey</c>), in chain order.</summary>
    public LoadedCertificate Load(SslCertKey certKey, IReadOnlyList<SslCertKey> links)
    {
        var own = Load(certKey);
        return links.Count == 0 ? own : own.WithChain(links.Select(l => Load(l).Leaf));
    }

    private static LoadedCertificate Read(SslCertKey ck)
    {
        if (!File.Exists(ck.CertPath))
        {
            throw new CertificateLoadException(true, $"no file {Path.GetFullPath(ck.CertPath)} (NetScaler keeps certificates in /nsconfig/ssl/: copy the file to this host and give its path)");
        }

        if (ck.KeyPath is not null && !File.Exists(ck.KeyPath))
        {
            throw new CertificateLoadException(false, $"no file {Path.GetFullPath(ck.KeyPath)} (copy the key to this host and give its path)");
        }

        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPemFile(ck.CertPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new CertificateLoadException(true, $"cannot read a PEM certificate from {ck.CertPath}: {e.Message}");
        }

        if (chain.Count == 0)
        {
            throw new CertificateLoadException(true, $"{ck.CertPath} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }

        if (ck.KeyPath is null && ck.Password is null && !HoldsKey(ck.CertPath))
        {
            // add ssl certKey ca -cert ca.pem: a CA or intermediate certificate, for linking.
            var rest = new X509Certificate2Collection();
            for (var i = 1; i < chain.Count; i++)
            {
                rest.Add(chain[i]);
            }

            return new LoadedCertificate(chain[0], rest);
        }

        X509Certificate2 leaf;
        var keyPath = ck.KeyPath ?? ck.CertPath;
        try
        {
            leaf = ck.Password is null
                ? X509Certificate2.CreateFromPemFile(ck.CertPath, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(ck.CertPath, ck.Password, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CertificateLoadException(false, $"cannot use the private key in {keyPath} with {ck.CertPath}: {e.Message}");
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        return new LoadedCertificate(leaf, intermediates);
    }

    private static bool HoldsKey(string path)
    {
        try
        {
            return File.ReadAllText(path).Contains("PRIVATE KEY-----", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? $"{info.FullName}@{info.LastWriteTimeUtc.Ticks}:{info.Length}" : path;
    }
}

/// <summary>A certificate or key file that cannot be used; <see cref="InCertificate"/> says which.</summary>
public sealed class CertificateLoadException(bool inCertificate, string message) : Exception(message)
{
    public bool InCertificate { get; } = inCertificate;
}
