using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>A Portico with one HTTP vserver <c>v</c> over real HTTP backends <c>b1..bN</c> (services <c>s1..sN</c>).</summary>
internal sealed class HttpSetup : IAsyncDisposable
{
    private HttpSetup(PorticoHost host, TestHttpServer[] backends)
    {
        Host = host;
        Backends = backends;
    }

    public PorticoHost Host { get; }

    public TestHttpServer[] Backends { get; }

    public IPEndPoint Vip => Host.EndPointOf("v");

    public Uri Url(string path = "/") => new($"http://{Vip}{path}");

    public static async Task<HttpSetup> StartAsync(int backends = 2, string vserverOptions = "-lbMethod ROUNDROBIN", string serviceOptions = "",
        string extra = "", Action<IServiceCollection>? configure = null)
    {
        var servers = new TestHttpServer[backends];
        for (var i = 0; i < backends; i++)
        {
            servers[i] = await TestHttpServer.StartAsync($"b{i + 1}");
        }

        var lines = new List<string>();
        lines.AddRange(servers.Select((b, i) => $"add service s{i + 1} 127.0.0.1 HTTP {b.Port} {serviceOptions}"));
        lines.Add($"add lb vserver v HTTP 127.0.0.1 {Ports.Free()} {vserverOptions}");
        lines.AddRange(servers.Select((_, i) => $"bind lb vserver v s{i + 1}"));
        lines.Add(extra);
        return new HttpSetup(await PorticoHost.StartAsync(string.Join('\n', lines), configure: configure), servers);
    }

    /// <summary>An HTTP client whose connections leave from <paramref name="source"/> (any 127.x address is local).</summary>
    public static HttpClient Client(IPAddress? source = null, bool pooled = true) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        PooledConnectionLifetime = pooled ? Timeout.InfiniteTimeSpan : TimeSpan.Zero,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (source is not null)
                {
                    socket.Bind(new IPEndPoint(source, 0));
                }

                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Which backend answered, by its X-Backend header.</summary>
    public static async Task<string> WhoAnswersAsync(HttpClient client, Uri url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("X-Backend").Single();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        foreach (var b in Backends)
        {
            await b.DisposeAsync();
        }
    }
}
