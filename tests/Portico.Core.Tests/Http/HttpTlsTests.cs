using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>SSL vservers: certificates from PEM files, SNI, TLS versions, HTTP/2, replacement at run time, redirect.</summary>
public sealed class HttpTlsTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-tls-").FullName;
    private TestHttpServer _backend = null!;
    private (string Cert, string Key, X509Certificate2 X509) _a;
    private (string Cert, string Key, X509Certificate2 X509) _b;

    public async Task InitializeAsync()
    {
        _backend = await TestHttpServer.StartAsync("b1");
        var a = TestCertificates.Create(_dir, "a", "a.test");
        var b = TestCertificates.Create(_dir, "b", "b.test", "*.b.test");
        _a = (a.CertPath, a.KeyPath, a.Certificate);
        _b = (b.CertPath, b.KeyPath, b.Certificate);
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<PorticoHost> StartAsync(string extra = "") => PorticoHost.StartAsync($"""
        add service s1 127.0.0.1 HTTP {_backend.Port}
        add lb vserver web SSL 127.0.0.1 {Ports.Free()} {extra}
        bind lb vserver web s1
        add ssl certKey a -cert {_a.Cert} -key {_a.Key}
        add ssl certKey b -cert {_b.Cert} -key {_b.Key}
        bind ssl vserver web -certkeyName a
        bind ssl vserver web -certkeyName b -SNICert
        """);

    [Fact]
    public async Task Sni_picks_the_certificate_and_curl_verifies_each_name()
    {
        await using var host = await StartAsync();
        var port = host.EndPointOf("web").Port;
        Assert.Equal("b1", await HttpHeaderTests.CurlAsync("--cacert", _a.Cert, "--resolve", $"a.test:{port}:127.0.0.1", $"https://a.test:{port}/"));
        Assert.Equal("b1", await HttpHeaderTests.CurlAsync("--cacert", _b.Cert, "--resolve", $"b.test:{port}:127.0.0.1", $"https://b.test:{port}/"));
        Assert.Equal("b1", await HttpHeaderTests.CurlAsync("--cacert", _b.Cert, "--resolve", $"www.b.test:{port}:127.0.0.1", $"https://www.b.test:{port}/"));

        // A name no SNI certificate holds, and no SNI at all, get the server certificate.
        Assert.Equal(_a.X509.Thumbprint, (await HandshakeAsync(host.EndPointOf("web"), "other.test")).Thumbprint);
        Assert.Equal(_a.X509.Thumbprint, (await HandshakeAsync(host.EndPointOf("web"), null)).Thumbprint);
        Assert.Contains("TLS 1.2/1.3", (await host.ApplyAsync("show lb vserver web")).Describe());
    }

    [Fact]
    public async Task Tls_1_3_is_negotiated_by_default_and_1_2_is_accepted()
    {
        await using var host = await StartAsync();
        using (var tls13 = await ConnectTlsAsync(host.EndPointOf("web"), "a.test", SslProtocols.Tls12 | SslProtocols.Tls13))
        {
            Assert.Equal(SslProtocols.Tls13, tls13.SslProtocol);
        }

        using var tls12 = await ConnectTlsAsync(host.EndPointOf("web"), "a.test", SslProtocols.Tls12);
        Assert.Equal(SslProtocols.Tls12, tls12.SslProtocol);
    }

    [Fact]
    public async Task Http2_is_served_to_clients_that_ask_by_alpn()
    {
        await using var host = await StartAsync();
        var port = host.EndPointOf("web").Port;
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null && new X509Certificate2(c).Thumbprint == _b.X509.Thumbprint },
            ConnectCallback = async (ctx, ct) =>
            {
                var s = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await s.ConnectAsync(IPAddress.Loopback, ctx.DnsEndPoint.Port, ct);
                return new NetworkStream(s, true);
            },
        })
        { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.GetAsync($"https://b.test:{port}/");
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("b1", await response.Content.ReadAsStringAsync());

        var curl = await HttpHeaderTests.CurlAsync("--http2", "-o", "/dev/null", "-w", "%{http_version}", "--cacert", _a.Cert,
            "--resolve", $"a.test:{port}:127.0.0.1", $"https://a.test:{port}/");
        Assert.Equal("2", curl);
    }

    [Fact]
    public async Task A_certificate_replaced_at_run_time_serves_new_handshakes_while_open_connections_go_on()
    {
        await using var host = await StartAsync();
        var vip = host.EndPointOf("web");
        using var open = await ConnectTlsAsync(vip, "a.test", SslProtocols.None);
        Assert.Equal(_a.X509.Thumbprint, new X509Certificate2(open.RemoteCertificate!).Thumbprint);

        var renewed = TestCertificates.Create(_dir, "a2", "a.test");
        await host.MustApplyAsync($"update ssl certKey a -cert {renewed.CertPath} -key {renewed.KeyPath}");
        Assert.Equal(renewed.Certificate.Thumbprint, (await HandshakeAsync(vip, "a.test")).Thumbprint);

        // The connection made before the change still carries requests.
        using var reader = new StreamReader(open);
        await open.WriteAsync("GET / HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n"u8.ToArray());
        var answer = await reader.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 200", answer);
        Assert.Contains("X-Backend: b1", answer);
    }

    [Fact]
    public async Task Redirect_from_port_sends_plain_http_clients_to_https()
    {
        var from = Ports.Free();
        await using var host = await StartAsync($"-redirectFromPort {from} -httpsRedirectUrl https://secure.test");
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var response = await client.GetAsync($"http://127.0.0.1:{from}/cart?id=7");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://secure.test/cart?id=7", response.Headers.Location!.ToString());
        Assert.Equal(1, Interlocked.Read(ref host.Engine.Runtime.Vservers["web"].Counters.Redirects));

        await host.MustApplyAsync("unset lb vserver web -httpsRedirectUrl\nset lb vserver web -redirectFromPort " + from);
        var location = await HttpHeaderTests.CurlAsync("-o", "/dev/null", "-w", "%{redirect_url}", $"http://127.0.0.1:{from}/x");
        Assert.Equal($"https://127.0.0.1:{host.EndPointOf("web").Port}/x", location);
    }

    [Fact]
    public async Task An_ssl_vserver_without_a_certificate_says_so_and_does_not_listen()
    {
        await using var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 HTTP {_backend.Port}
            add lb vserver web SSL 127.0.0.1 {Ports.Free()}
            bind lb vserver web s1
            """);
        Assert.Contains("no certificate bound", (await host.ApplyAsync("show lb vserver")).Describe());
        Assert.Null(host.Engine.Listeners.EndPointOf("web"));
        await host.MustApplyAsync($"add ssl certKey a -cert {_a.Cert} -key {_a.Key}\nbind ssl vserver web -certkeyName a");
        Assert.NotNull(host.Engine.Listeners.EndPointOf("web"));
    }

    [Fact]
    public async Task Certificate_commands_report_wrong_files_on_their_line_and_word()
    {
        await using var host = await PorticoHost.StartAsync("");
        var missing = await host.ApplyAsync($"add ssl certKey x -cert {_dir}/nope.crt -key {_a.Key}");
        Assert.False(missing.Applied);
        Assert.Equal(1, missing.Errors[0].Line);
        Assert.Equal($"{_dir}/nope.crt", missing.Errors[0].Word);

        var mismatch = await host.ApplyAsync($"add ssl certKey x -cert {_a.Cert} -key {_b.Key}");
        Assert.False(mismatch.Applied);
        Assert.Equal(_b.Key, mismatch.Errors[0].Word);

        var notSsl = await host.ApplyAsync($"add lb vserver h HTTP 127.0.0.1 {Ports.Free()}\nadd ssl certKey a -cert {_a.Cert} -key {_a.Key}\nbind ssl vserver h -certkeyName a");
        Assert.False(notSsl.Applied);
        Assert.Contains("certificates are bound to SSL vservers", notSsl.Errors[0].Message);

        var curve = await host.ApplyAsync("add lb vserver s SSL 127.0.0.1 443\nbind ssl vserver s -eccCurveName P_256");
        Assert.True(curve.Applied);
        Assert.Single(curve.Unsupported);
    }

    private static async Task<SslStream> ConnectTlsAsync(IPEndPoint vip, string? sni, SslProtocols protocols)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(vip);
        // The tests compare the certificate they got with the one they expect; the chain is self-signed.
        var tls = new SslStream(tcp.GetStream(), false, (_, c, _, _) => c is not null);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = sni ?? "", EnabledSslProtocols = protocols });
        return tls;
    }

    private static async Task<X509Certificate2> HandshakeAsync(IPEndPoint vip, string? sni)
    {
        using var tls = await ConnectTlsAsync(vip, sni, SslProtocols.None);
        return new X509Certificate2(tls.RemoteCertificate!);
    }
}
