using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Portico.Demo;

/// <summary>
/// The two web servers the embedded default config balances over, so a newcomer sees traffic
/// balanced with nothing else installed. Each answers every request with its own name.
/// </summary>
internal sealed class DemoBackends : IHostedService
{
    public static readonly IPEndPoint[] Endpoints = [new(IPAddress.Loopback, 9001), new(IPAddress.Loopback, 9002)];

    private readonly List<WebApplication> _apps = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Endpoints.Length; i++)
        {
            var name = $"demo backend {i + 1}";
            var endpoint = Endpoints[i];
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(endpoint));
            var app = builder.Build();
            app.Run(context => context.Response.WriteAsync(
                $"Hello from {name} ({endpoint}): {context.Request.Method} {context.Request.Path}{context.Request.QueryString}\n", cancellationToken));
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new InvalidOperationException($"{name} cannot listen on {endpoint}: {e.Message}. Is another Portico demo running?", e);
            }

            _apps.Add(app);
        }

        // Answer one request each before Portico starts: a cold backend's first answer (JIT) can take longer
        // than the demo monitor's 80 ms response timeout, and the first probe of a new member decides its state.
        using var warmUp = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var endpoint in Endpoints)
        {
            using var response = await warmUp.GetAsync(new Uri($"http://{endpoint}/health"), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var app in _apps)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
