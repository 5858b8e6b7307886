using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Portico.Counters;

namespace Portico.Admin.Metrics;

/// <summary>
/// The admin HTTP listener: a small Kestrel server of its own (so an admin request never shares a
/// listener or a thread budget decision with the vservers) serving <c>/metrics</c> in the Prometheus text
/// format. The exporter is OpenTelemetry's: it reads the <c>Portico</c> meter's observable instruments on
/// each scrape, giving counters their <c>_total</c> and units their suffix (docs/design/counters-history.md).
/// NITRO is served on the same listener: plain HTTP on loopback, and on its HTTPS side (<see cref="AdminHttpsOptions"/>)
/// for other hosts.
/// </summary>
public sealed partial class AdminHttpServer(AdminHttpOptions options, CounterCatalog catalog, ILogger<AdminHttpServer> logger, Nitro.NitroApi? nitro = null,
    Dashboard.DashboardSite? dashboard = null) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Where it listens once started (the port the kernel chose for <c>:0</c>); null when off.</summary>
    public IPEndPoint? EndPoint { get; private set; }

    /// <summary>Where the HTTPS side listens once started; null without <c>--admin-https</c>.</summary>
    public IPEndPoint? HttpsEndPoint { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.EndPoint is null && options.Https is null)
        {
            return;
        }

        // The meter must exist before the exporter's listener starts, or its instruments are published late.
        _ = catalog.Meter;

        var app = Build(options.EndPoint);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (options.Optional && options.EndPoint is { } taken)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            Log.DefaultTaken(logger, taken, e.Message);
            if (options.Https is null)
            {
                return;
            }

            // The default plain address is someone else's; the HTTPS one the operator chose still serves.
            app = Build(null);
            await StartOrExplainAsync(app, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw Explain(e);
        }

        _app = app;
        foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                var bound = new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port);
                if (uri.Scheme == Uri.UriSchemeHttps)
                {
                    HttpsEndPoint = bound;
                }
                else
                {
                    EndPoint = bound;
                }
            }
        }

        if (EndPoint is not null)
        {
            Log.Listening(logger, EndPoint);
        }

        if (HttpsEndPoint is not null)
        {
            Log.ListeningHttps(logger, HttpsEndPoint, options.Https!.Certificate.Subject, options.Https.Certificate.NotAfter.ToUniversalTime());
        }
    }

    private WebApplication Build(IPEndPoint? http)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            if (http is not null)
            {
                k.Listen(http);
            }

            if (options.Https is { } https)
            {
                // The certificate is loaded once at start: replacing the files takes a restart, as for NetScaler's own.
                k.Listen(https.EndPoint, l => l.UseHttps(https.Certificate));
            }
        });
        builder.Services.AddRouting();
        builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("portico")).WithMetrics(m => m
            .AddMeter(CounterCatalog.MeterName)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/", () => Results.Text("Portico admin: /metrics (Prometheus text format)\n"));
        nitro?.Map(app);
        dashboard?.Map(app);
        return app;
    }

    private async Task StartOrExplainAsync(WebApplication app, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw Explain(e);
        }
    }

    private InvalidOperationException Explain(IOException e) => new(
        $"admin HTTP listener on {string.Join(" and ", new object?[] { options.EndPoint, options.Https?.EndPoint }.OfType<IPEndPoint>())}: {e.Message} "
        + "(choose another with --admin-http or --admin-https, or --admin-http none)", e);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 710, Level = LogLevel.Information, Message = "Admin HTTP on http://{EndPoint}/metrics")]
        public static partial void Listening(ILogger logger, IPEndPoint endPoint);

        [LoggerMessage(EventId = 711, Level = LogLevel.Warning,
            Message = "No admin HTTP listener: the default {EndPoint} is taken ({Error}), so /metrics is off; choose an address with --admin-http")]
        public static partial void DefaultTaken(ILogger logger, IPEndPoint endPoint, string error);

        [LoggerMessage(EventId = 712, Level = LogLevel.Information, Message = "Admin HTTPS on https://{EndPoint} (certificate {Subject}, valid until {NotAfter:u})")]
        public static partial void ListeningHttps(ILogger logger, IPEndPoint endPoint, string subject, DateTime notAfter);
    }
}
