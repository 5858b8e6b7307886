using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Testing;

/// <summary>Self-signed certificates written as PEM files in a temporary folder, for TLS tests.</summary>
public static class TestCertificates
{
    /// <summary>Creates a certificate for <paramref name="dnsNames"/>; returns the certificate and key file paths.</summary>
    public static (string CertPath, string KeyPath, X509Certificate2 Certificate) Create(string directory, string fileName, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certPath = Path.Combine(directory, fileName + ".crt");
        var keyPath = Path.Combine(directory, fileName + ".key");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath, X509CertificateLoader.LoadCertificate(cert.RawData));
    }
}
