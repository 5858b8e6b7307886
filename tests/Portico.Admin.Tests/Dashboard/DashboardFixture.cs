using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portico.Admin.Metrics;
using Portico.Testing;

namespace Portico.Admin.Tests.Dashboard;

/// <summary>
/// A real Portico with its admin HTTP listener on a free loopback port (NITRO and the dashboard on it), a
/// superuser and a read-only user, and a plain HttpClient that follows no redirect and keeps no cookie, so each
/// test says exactly what it sends.
/// </summary>
public sealed class DashboardFixture : IAsyncDisposable
{
    public const string AdminPassword = "admin password 1";
    public const string ViewerPassword = "viewer password 1";

    private DashboardFixture(PorticoHost host)
    {
        Host = host;
        EndPoint = host.Services.GetRequiredService<AdminHttpServer>().EndPoint!;
        Http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://{EndPoint}") };
    }

    public PorticoHost Host { get; }

    public IPEndPoint EndPoint { get; }

    public HttpClient Http { get; }

    public static async Task<DashboardFixture> StartAsync(string config, Action<IServiceCollection>? configure = null)
    {
        var host = await PorticoHost.StartAsync(config, configure: s =>
        {
            s.AddPorticoAdminHttp(AdminHttpOptions.Parse("127.0.0.1:0", allowRemote: false));
            configure?.Invoke(s);
        });
        await host.MustApplyAsync($"""
            add system user admin '{AdminPassword}'
            bind system user admin -policyName superuser 0
            add system user viewer '{ViewerPassword}'
            bind system user viewer -policyName read-only 0
            """);
        return new DashboardFixture(host);
    }

    /// <summary>Logs in through NITRO as the login page does; returns the session token and its CSRF token.</summary>
    public async Task<(string Token, string Csrf)> LoginAsync(string user = "admin", string password = AdminPassword)
    {
        using var response = await Http.PostAsync("/nitro/v1/config/login",
            new StringContent(new JsonObject { ["login"] = new JsonObject { ["username"] = user, ["password"] = password } }.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return (body["sessionid"]!.GetValue<string>(), body["csrftoken"]!.GetValue<string>());
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, string? body = null, string? csrf = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Add("Cookie", "NITRO_AUTH_TOKEN=" + token);
        }

        if (csrf is not null)
        {
            request.Headers.Add("X-Portico-CSRF", csrf);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        }

        return await Http.SendAsync(request);
    }

    public async Task<(HttpStatusCode Status, JsonObject Body)> JsonAsync(HttpMethod method, string path, string? token, string? body = null, string? csrf = null)
    {
        using var response = await SendAsync(method, path, token, body, csrf);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>
    /// Sends <paramref name="target"/> byte for byte as the request target (HttpClient would normalise <c>..</c> and
    /// re-encode), and returns the status and body.
    /// </summary>
    public async Task<(int Status, string Body)> RawGetAsync(string target, string? token)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(EndPoint);
        var stream = client.GetStream();
        var cookie = token is null ? "" : $"Cookie: NITRO_AUTH_TOKEN={token}\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes($"GET {target} HTTP/1.1\r\nHost: x\r\n{cookie}Connection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, split < 0 ? "" : text[(split + 4)..]);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
