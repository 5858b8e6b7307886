using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Portico.Admin.AdminSocket;
using Portico.Admin.Metrics;
using Portico.Admin.Nitro;
using Portico.Testing;

namespace Portico.Admin.Tests.Metrics;

/// <summary>
/// The admin listener over TLS with its own certificate: a real TLS client that trusts only that certificate logs
/// into NITRO, changes the config (the audit names the user and the client address), and is limited and logged when
/// it guesses passwords; plain HTTP stays on loopback.
/// </summary>
public sealed class AdminHttpsTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-admin-https-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordingLoggerProvider _logs = new();
    private PorticoHost _host = null!;
    private X509Certificate2 _certificate = null!;
    private HttpClient _https = null!;

    public async Task InitializeAsync()
    {
        var (certPath, keyPath, certificate) = TestCertificates.Create(_dir, "admin", "localhost");
        _certificate = certificate;
        var options = AdminHttpOptions.Parse("127.0.0.1:0", allowRemote: false) with { Https = AdminHttpsOptions.Load("127.0.0.1:0", certPath, keyPath) };
        _host = await PorticoHost.StartAsync("", Path.Combine(_dir, "portico.conf"), s =>
        {
            s.AddPorticoAdminHttp(options);
            s.AddSingleton(new NitroSessions(_time));
            s.AddSingleton(new LoginLimiter(_time));
            s.AddSingleton<ILoggerProvider>(_logs);
        });
        await _host.MustApplyAsync("add system user admin 'admin password 1'\nbind system user admin -policyName superuser 0");
        var endpoint = _host.Services.GetRequiredService<AdminHttpServer>().HttpsEndPoint!;

        // Trusts the admin certificate alone, with the host name checked: what a client given the CA file does.
        var handler = new SocketsHttpHandler { UseCookies = false };
        handler.SslOptions.RemoteCertificateValidationCallback = TrustOnly(_certificate);
        _https = new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{endpoint.Port}") };
        handler.ConnectCallback = async (context, ct) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            await socket.ConnectAsync(endpoint, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        };
    }

    [Fact]
    public async Task A_nitro_login_and_change_over_https_are_audited_with_the_user_and_the_client_address()
    {
        var (status, body, response) = await SendAsync(HttpMethod.Post, "/nitro/v1/config/login", """{"login":{"username":"admin","password":"admin password 1"}}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        var token = body["sessionid"]!.GetValue<string>();

        (status, body, _) = await SendAsync(HttpMethod.Post, "/nitro/v1/config/server", """{"server":{"name":"web1","ipaddress":"192.0.2.10"}}""", token);
        Assert.True(status == HttpStatusCode.Created, body.ToJsonString());
        (status, body, _) = await SendAsync(HttpMethod.Get, "/nitro/v1/config/server/web1", null, token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("192.0.2.10", body["server"]![0]!["ipaddress"]!.GetValue<string>());

        using var cli = AdminClient.Connect(_host.AdminSocket);
        var audit = await cli.ApplyAsync("show audit -user admin");
        Assert.True(audit.Ok, audit.Output);
        Assert.Contains("admin from nitro 127.0.0.1: add server web1 192.0.2.10", audit.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_logins_over_https_are_logged_with_address_and_name_then_refused_for_a_minute()
    {
        const string Wrong = """{"login":{"username":"admin","password":"a wrong guess"}}""";
        for (var i = 0; i < LoginLimiter.MaxFailures; i++)
        {
            var (status, body, _) = await SendAsync(HttpMethod.Post, "/nitro/v1/config/login", Wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal(354, body["errorcode"]!.GetValue<int>());
        }

        Assert.Equal(LoginLimiter.MaxFailures, _logs.Messages.Count(m => m == "NITRO login failed from 127.0.0.1 for user 'admin'"));

        // Even the right password is refused now, unchecked, and that is logged too.
        var (refused, answer, _) = await SendAsync(HttpMethod.Post, "/nitro/v1/config/login", """{"login":{"username":"admin","password":"admin password 1"}}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused);
        Assert.Contains("too many failed logins", answer["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(_logs.Messages, m => m.StartsWith("NITRO login from 127.0.0.1 for user 'admin' refused unchecked", StringComparison.Ordinal));

        _time.Advance(LoginLimiter.Window + TimeSpan.FromSeconds(1));
        var (again, _, _) = await SendAsync(HttpMethod.Post, "/nitro/v1/config/login", """{"login":{"username":"admin","password":"admin password 1"}}""");
        Assert.Equal(HttpStatusCode.Created, again);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_admin_certificate_gets_no_answer()
    {
        using var strict = new HttpClient(new SocketsHttpHandler { ConnectCallback = (_, ct) => Connect(ct) }) { BaseAddress = _https.BaseAddress };
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => strict.GetAsync(new Uri("/nitro/v1/config/lbvserver", UriKind.Relative)));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(e.InnerException);
    }

    [Theory]
    [InlineData("0.0.0.0:9190")]
    [InlineData("192.0.2.1:9190")]
    [InlineData("[::]:9190")]
    public void Plain_http_on_an_address_other_than_loopback_is_refused_naming_https(string address)
    {
        var e = Assert.Throws<FormatException>(() => AdminHttpOptions.Parse(address, allowRemote: false));
        Assert.Contains("is not a loopback address", e.Message, StringComparison.Ordinal);
        Assert.Contains("--admin-https", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_certificate_files_are_refused_naming_the_option_and_the_file()
    {
        var (certPath, keyPath, _) = TestCertificates.Create(_dir, "one", "localhost");
        var (_, otherKey, _) = TestCertificates.Create(_dir, "two", "localhost");
        var missing = Path.Combine(_dir, "missing.pem");

        Assert.Contains($"--admin-cert {missing}: no such file", Refused(missing, keyPath), StringComparison.Ordinal);
        Assert.Contains($"--admin-key {missing}: no such file", Refused(certPath, missing), StringComparison.Ordinal);
        Assert.Contains($"--admin-cert {certPath} --admin-key {otherKey}:", Refused(certPath, otherKey), StringComparison.Ordinal);
        Assert.Contains($"--admin-cert {certPath}: no private key found", Refused(certPath, null), StringComparison.Ordinal);
        Assert.Contains($"--admin-cert {keyPath} --admin-key {keyPath}:", Refused(keyPath, keyPath), StringComparison.Ordinal);
        Assert.Contains("needs --admin-cert FILE", Assert.Throws<FormatException>(() => AdminHttpsOptions.Load("0.0.0.0:9443", null, null)).Message, StringComparison.Ordinal);
        Assert.Contains("'0.0.0.0' is not address:port", Assert.Throws<FormatException>(() => AdminHttpsOptions.Load("0.0.0.0", certPath, keyPath)).Message, StringComparison.Ordinal);

        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(31));
        Assert.Contains("the certificate expired on", Assert.Throws<FormatException>(() => AdminHttpsOptions.Load("0.0.0.0:9443", certPath, keyPath, later)).Message, StringComparison.Ordinal);
        Assert.Equal(9443, AdminHttpsOptions.Load("0.0.0.0:9443", certPath, keyPath).EndPoint.Port);
    }

    private static string Refused(string cert, string? key) =>
        Assert.Throws<FormatException>(() => AdminHttpsOptions.Load("0.0.0.0:9443", cert, key)).Message;

    private async ValueTask<Stream> Connect(CancellationToken ct)
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(_host.Services.GetRequiredService<AdminHttpServer>().HttpsEndPoint!, ct);
        return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
    }

    private async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? json, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Add("Cookie", "NITRO_AUTH_TOKEN=" + token);
        }

        var response = await _https.SendAsync(request);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response);
    }

    /// <summary>Accepts the chain only when it ends at <paramref name="trusted"/> and the name matched.</summary>
    private static RemoteCertificateValidationCallback TrustOnly(X509Certificate2 trusted) => (_, certificate, _, errors) =>
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    };

    public async Task DisposeAsync()
    {
        _https.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>Keeps every message logged at warning and above, as an operator's journal would show them.</summary>
    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Queue { get; } = new();

        public IEnumerable<string> Messages => Queue;

        public ILogger CreateLogger(string categoryName) => new Recorder(Queue);

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentQueue<string> queue) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    queue.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}
