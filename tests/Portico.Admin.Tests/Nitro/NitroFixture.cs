using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portico.Admin.Metrics;
using Portico.Admin.Nitro;
using Portico.Testing;

namespace Portico.Admin.Tests.Nitro;

/// <summary>
/// A real Portico with its admin HTTP listener on a free loopback port, NITRO on it, and a plain HttpClient as the
/// NITRO client; sessions and the login limiter on a fake clock so expiry is tested without waiting.
/// </summary>
internal sealed class NitroFixture : IAsyncDisposable
{
    public const string Farm = """
        add server web1 127.0.0.1
        add service s1 web1 HTTP 8081
        add serviceGroup g1 HTTP
        add lb monitor m1 TCP
        add lb vserver v1 HTTP 127.0.0.1 18080 -lbMethod ROUNDROBIN
        bind lb vserver v1 s1
        """;

    private NitroFixture(PorticoHost host, FakeTimeProvider time, string configPath)
    {
        Host = host;
        Time = time;
        ConfigPath = configPath;
        var endpoint = host.Services.GetRequiredService<AdminHttpServer>().EndPoint!;
        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri($"http://{endpoint}") };
    }

    public PorticoHost Host { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    public string ConfigPath { get; }

    /// <summary>The token of the last <see cref="LoginAsync"/>, sent as the NITRO_AUTH_TOKEN cookie by <see cref="SendAsync"/>.</summary>
    public string? Token { get; set; }

    public static async Task<NitroFixture> StartAsync(string config = Farm, bool withAdmin = true)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(Directory.CreateTempSubdirectory("portico-nitro-").FullName, "portico.conf");
        var host = await PorticoHost.StartAsync(config, path, s =>
        {
            s.AddPorticoAdminHttp(AdminHttpOptions.Parse("127.0.0.1:0", allowRemote: false));
            s.AddSingleton(new NitroSessions(time));
            s.AddSingleton(new LoginLimiter(time));
        });
        var f = new NitroFixture(host, time, path);
        if (withAdmin)
        {
            await host.MustApplyAsync("add system user admin 'admin password 1'\nbind system user admin -policyName superuser 0");
        }

        return f;
    }

    public async Task LoginAsync(string user = "admin", string password = "admin password 1")
    {
        var (status, body, response) = await SendAsync(HttpMethod.Post, "/nitro/v1/config/login", "{\"login\":{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}}");
        Assert.True(status == HttpStatusCode.Created, body.ToJsonString());
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Token = body["sessionid"]!.GetValue<string>();
        Assert.StartsWith($"NITRO_AUTH_TOKEN={Token};", cookie, StringComparison.Ordinal);
    }

    public async Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, string? json = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (Token is not null)
        {
            request.Headers.Add("Cookie", "NITRO_AUTH_TOKEN=" + Token);
        }

        configure?.Invoke(request);
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }, response.Content.Headers.ContentType);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(text)!, response);
    }

    public async Task<JsonObject> Ok(HttpMethod method, string path, string? json = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, body, _) = await SendAsync(method, path, json);
        Assert.True(status == expected, $"{method} {path}: {(int)status} {body.ToJsonString()}");
        Assert.Equal(0, body["errorcode"]!.GetValue<int>());
        return body;
    }

    /// <summary>Asserts a NITRO error: the HTTP status, the code and (part of) the message.</summary>
    public async Task<JsonObject> Fails(HttpMethod method, string path, string? json, HttpStatusCode status, int code, string message, Action<HttpRequestMessage>? configure = null)
    {
        var (actual, body, _) = await SendAsync(method, path, json, configure);
        Assert.True(actual == status, $"{method} {path}: {(int)actual} {body.ToJsonString()}");
        Assert.Equal(code, body["errorcode"]!.GetValue<int>());
        Assert.Equal("ERROR", body["severity"]!.GetValue<string>());
        Assert.Contains(message, body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
