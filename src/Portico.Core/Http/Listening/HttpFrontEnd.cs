using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.Capture.Tap;
using Portico.Http.Backends;
using Portico.Http.Pipeline;
using Portico.Http.ProtocolErrors;
using Portico.Http.Routing;
using Portico.Http.Transforms;
using Portico.Upstream;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms.Builder;
using Yarp.ReverseProxy;

namespace Portico.Http.Listening;

/// <summary>
/// The HTTP/2 application: ASP.NET Core's pipeline with YARP, built once when the first HTTP/2 client of an SSL
/// vserver arrives (HTTP/1.1 runs on Portico's own engine; a Portico without HTTP/2 clients never pays for it). Its request pipeline is Portico's entry
/// step, the policies (responder, content switching, rewrite's request banks), routing (one YARP route per vserver,
/// the lb vserver the switch chose), then YARP's proxy pipeline with Portico's selection.
/// </summary>
internal sealed class HttpFrontEnd : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpFrontEnd(WebApplication app, ApplicationCapture capture, ConnectionTaps taps, ProtocolErrorLog protocolErrors)
    {
        ProtocolErrors = protocolErrors;
        _app = app;
        Capture = capture;
        Taps = taps;
    }

    public ApplicationCapture Capture { get; }

    /// <summary>Where client protocol errors are counted and logged, rate-limited (the pipeline's and each listener's Kestrel's).</summary>
    public ProtocolErrorLog ProtocolErrors { get; }

    /// <summary>The decrypted tap (<c>start nstrace -mode SSLPLAIN</c>) every listener consults after TLS.</summary>
    public ConnectionTaps Taps { get; }

    public IServiceProvider Services => _app.Services;

    public PorticoProxyConfigProvider Config => _app.Services.GetRequiredService<PorticoProxyConfigProvider>();

    public IProxyStateLookup ProxyState => _app.Services.GetRequiredService<IProxyStateLookup>();

    /// <summary>Loggers for the L7 application and its Kestrel servers (ASP.NET Core and YARP at Warning).</summary>
    public ILoggerFactory Loggers => _app.Services.GetRequiredService<ILoggerFactory>();

    public static HttpFrontEnd Start(IServiceProvider outer, Func<HttpModel> model)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        var capture = new ApplicationCapture();
        builder.Services.AddLogging();
        var loggers = FilteredLoggerProvider.Create(outer.GetRequiredService<ILoggerFactory>());
        builder.Services.AddSingleton(loggers);
        // Kestrel's services (its HTTPS middleware needs them), but not its IServer: ApplicationCapture is the server.
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton<IServer>(capture);
        builder.Services.AddRoutingCore();

        var time = outer.GetRequiredService<TimeProvider>();
        var taps = outer.GetService<ConnectionTaps>() ?? new ConnectionTaps();
        var provider = new PorticoProxyConfigProvider();
        builder.Services.AddSingleton(provider);
        builder.Services.AddSingleton<IProxyConfigProvider>(provider);
        builder.Services.AddReverseProxy();

        // YARP brings Data Protection for its session affinity cookies, which Portico does not use: keep
        // its keys in memory rather than writing a key ring to the user's profile at start.
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        foreach (var keyRing in builder.Services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.Namespace?.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal) == true).ToList())
        {
            builder.Services.Remove(keyRing);
        }

        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddSingleton<ITransformProvider>(new PorticoTransformProvider(time, new RewriteTransforms(outer.GetRequiredService<Rewrite.RewriteRuntime>())));
        builder.Services.AddSingleton<IForwarderHttpClientFactory>(sp => new BackendHttpClientFactory(
            outer.GetRequiredService<BackendConnector>(), model,
            sp.GetRequiredService<ILogger<ForwarderHttpClientFactory>>()) { Taps = taps });
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, VserverMatcherPolicy>());

        var app = builder.Build();
        var protocolErrorLog = outer.GetRequiredService<ProtocolErrorLog>();
        var protocolErrors = new ProtocolErrorMiddleware(protocolErrorLog);
        var selection = new SelectionMiddleware(outer.GetRequiredService<Requests.RequestSelection>(), outer.GetRequiredService<Upstream.SourcePortReporter>());
        var policies = new PolicyMiddleware(outer.GetRequiredService<Responder.ResponderRuntime>(), outer.GetRequiredService<Rewrite.RewriteRuntime>());
        app.Use(EntryMiddleware.InvokeAsync);
        app.Use(next => context => policies.InvokeAsync(context, next));
        var endpoints = new VserverEndpoints(app.Services.GetRequiredService<EndpointDataSource>());
        app.Use(next => context => endpoints.InvokeAsync(context, next));
        app.UseRouting();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(next => context => protocolErrors.InvokeAsync(context, next));
            proxy.Use(next => context => RequestBuffering.RequestBodyBuffering.InvokeAsync(context, next));
            proxy.Use(next => context => selection.InvokeAsync(context, next));
            proxy.UseLoadBalancing();
        });

        // Starting the host builds the pipeline and hands it to ApplicationCapture; nothing listens yet.
        app.StartAsync().GetAwaiter().GetResult();
        return new HttpFrontEnd(app, capture, taps, protocolErrorLog);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
