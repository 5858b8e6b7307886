using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portico.Configuration;
using Portico.Http.Tls;
using Portico.Testing;
using static Portico.Core.Tests.CommandLanguage.Language;

namespace Portico.Core.Tests.Http;

/// <summary>
/// CA and intermediate certificates without a key (<c>add ssl certKey ca -cert ca.pem</c>), <c>link ssl certKey</c>
/// so handshakes send the chain, and certificate paths of an import resolved from <c>--cert-dir</c>.
/// </summary>
public sealed class CertificateChainTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-chain-").FullName;
    private TestHttpServer _backend = null!;

    public async Task InitializeAsync()
    {
        _backend = await TestHttpServer.StartAsync("b1");
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var interKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Ca("CN=Test Root", rootKey, null, null);
        using var inter = Ca("CN=Test Intermediate", interKey, root, rootKey);

        var leafRequest = new CertificateRequest("CN=chain.test", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("chain.test");
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var interWithKey = inter.CopyWithPrivateKey(interKey);
        using var leaf = leafRequest.Create(interWithKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), [1, 2, 3]);
        File.WriteAllText(Path.Combine(_dir, "root.pem"), root.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "inter.pem"), inter.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "server.crt"), leaf.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "server.key"), leafKey.ExportPkcs8PrivateKeyPem());
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static X509Certificate2 Ca(string subject, ECDsa key, X509Certificate2? issuer, ECDsa? issuerKey)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return issuer is null
            ? request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(60))
            : request.Create(issuer.HasPrivateKey ? issuer : issuer.CopyWithPrivateKey(issuerKey!), DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(59), [9, 8, 7]);
    }

    private string Config(int port, string links) => $"""
        add service s1 127.0.0.1 HTTP {_backend.Port}
        add lb vserver web SSL 127.0.0.1 {port}
        bind lb vserver web s1
        add ssl certKey root -cert {_dir}/root.pem
        add ssl certKey inter -cert {_dir}/inter.pem
        add ssl certKey server -cert {_dir}/server.crt -key {_dir}/server.key
        {links}
        bind ssl vserver web -certkeyName server
        """;

    [Fact]
    public async Task A_server_certificate_linked_to_its_intermediate_sends_the_chain_a_client_with_only_the_root_verifies()
    {
        var port = Ports.Free();
        await using (var unlinked = await PorticoHost.StartAsync(Config(port, "")))
        {
            var (code, error) = await CurlAsync("--cacert", Path.Combine(_dir, "root.pem"), "--resolve", $"chain.test:{port}:127.0.0.1", $"https://chain.test:{port}/");
            Assert.True(code != 0, "without the link the client cannot build the chain");
            Assert.Contains("certificate", error);
        }

        await using var host = await PorticoHost.StartAsync(Config(port, "link ssl certKey server inter\nlink ssl certKey inter root"));
        var (ok, output) = await CurlAsync("--cacert", Path.Combine(_dir, "root.pem"), "--resolve", $"chain.test:{port}:127.0.0.1", $"https://chain.test:{port}/");
        Assert.True(ok == 0, output);
        Assert.Equal("b1", output);

        var saved = ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
        Assert.Contains("link ssl certKey server inter\n", saved);
        Assert.Contains("link ssl certKey inter root\n", saved);
        Assert.Contains($"add ssl certKey inter -cert {_dir}/inter.pem\n", saved);
    }

    [Fact]
    public void A_ca_certificate_cannot_be_bound_and_a_link_must_go_to_the_issuer()
    {
        var bound = Plan($"""
            add lb vserver web SSL 127.0.0.1 443
            add ssl certKey inter -cert {_dir}/inter.pem
            bind ssl vserver web -certkeyName inter
            """);
        Assert.Contains("'inter' has no private key (a CA or intermediate certificate): bind the server's own certKey, and link this one to it", Assert.Single(bound.Errors).Message);

        var wrong = Plan($"""
            add ssl certKey root -cert {_dir}/root.pem
            add ssl certKey server -cert {_dir}/server.crt -key {_dir}/server.key
            link ssl certKey server root
            """);
        Assert.Contains("'root' (CN=Test Root) did not issue 'server' (issuer CN=Test Intermediate)", Assert.Single(wrong.Errors).Message);

        var loop = Plan($"""
            add ssl certKey inter -cert {_dir}/inter.pem
            add ssl certKey root -cert {_dir}/root.pem
            link ssl certKey inter root
            link ssl certKey root inter
            """);
        Assert.Contains("would make a loop", Assert.Single(loop.Errors).Message);
    }

    [Fact]
    public void An_import_finds_relative_certificate_paths_in_the_cert_dir_and_writes_where_it_found_them()
    {
        const string NsConf = """
            add lb vserver web SSL 10.0.0.1 443
            add ssl certKey inter -cert inter.pem
            add ssl certKey server -cert server.crt -key server.key -expiryMonitor DISABLED
            link ssl certKey server inter
            bind ssl vserver web -certkeyName server
            """;
        var without = ConfigImporter.Import(Store, NsConf, "ns.conf");
        Assert.Contains("no file", without.Rejected.First().Messages[0]);

        var report = ConfigImporter.Import(Store, NsConf, "ns.conf", new ImportOptions(CertificateDirectories: [_dir]));
        Assert.Empty(report.Rejected);
        Assert.Equal(Path.Combine(_dir, "server.crt"), report.Config.CertKeys.Single(k => k.Name == "server").CertPath);
        Assert.Equal("inter", report.Config.CertKeys.Single(k => k.Name == "server").LinkedTo);
    }

    private static async Task<(int Code, string Output)> CurlAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-sS", "--max-time", "20", .. args])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, p.ExitCode == 0 ? output : error);
    }
}
