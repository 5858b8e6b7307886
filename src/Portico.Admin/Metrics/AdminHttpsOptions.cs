using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portico.Admin.Metrics;

/// <summary>
/// The admin listener over TLS, from <c>portico run --admin-https ADDRESS:PORT --admin-cert FILE [--admin-key FILE]</c>:
/// the way to reach NITRO and <c>/metrics</c> from other hosts, since plain HTTP carries passwords and session tokens
/// in clear and stays on loopback. The certificate is the admin listener's own (PEM files, as a Linux service takes
/// them), never one of the vservers' certKeys: a config change can then never take the management plane's identity
/// away, as NetScaler keeps its own <c>ns-server-certificate</c> for its GUI and NITRO.
/// </summary>
public sealed record AdminHttpsOptions(IPEndPoint EndPoint, X509Certificate2 Certificate)
{
    /// <summary>
    /// Parses the address and loads the certificate with its private key (<paramref name="keyFile"/> null: the key is in
    /// the certificate's file). Every problem is a <see cref="FormatException"/> naming the option and the file.
    /// </summary>
    public static AdminHttpsOptions Load(string endpointText, string? certFile, string? keyFile, TimeProvider? time = null)
    {
        if (!IPEndPoint.TryParse(endpointText, out var endpoint) || endpoint.Port == 0 && !endpointText.EndsWith(":0", StringComparison.Ordinal))
        {
            throw new FormatException($"--admin-https: '{endpointText}' is not address:port (like 0.0.0.0:9443, [::]:9443)");
        }

        if (certFile is null)
        {
            throw new FormatException("--admin-https needs --admin-cert FILE (PEM certificate chain) and --admin-key FILE (PEM private key)");
        }

        Readable("--admin-cert", certFile);
        if (keyFile is not null)
        {
            Readable("--admin-key", keyFile);
        }

        var files = $"--admin-cert {certFile}{(keyFile is null ? "" : $" --admin-key {keyFile}")}";
        X509Certificate2 certificate;
        try
        {
            if (keyFile is null && !File.ReadAllText(certFile).Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            {
                throw new FormatException($"--admin-cert {certFile}: no private key found; give it with --admin-key FILE");
            }

            certificate = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{files}: {e.Message}", e);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new FormatException($"{files}: {e.Message.TrimEnd('.')} (a PEM certificate and its PEM private key are expected)", e);
        }

        var now = (time ?? TimeProvider.System).GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            throw new FormatException($"--admin-cert {certFile}: the certificate expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; every client would refuse it");
        }

        return new AdminHttpsOptions(endpoint, certificate);
    }

    private static void Readable(string option, string file)
    {
        if (!File.Exists(file))
        {
            throw new FormatException($"{option} {file}: no such file");
        }
    }

    public override string ToString() => $"https://{EndPoint} ({Certificate.Subject}, until {Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd})";
}
