using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Http.Commands;
using Portico.Http.Listening;
using Portico.Http.Tls;
using Portico.Listeners;

namespace Portico.Http;

/// <summary>Registers the L7 HTTP/SSL data path, its certificate and HTTP profile commands (persistence is AddPorticoPersistence, shared with L4).</summary>
public static class HttpServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoHttp(this IServiceCollection services)
    {
        services.TryAddSingleton<CertificateLoader>();
        services.AddSingleton<ICommandModule, SslCommands>();
        services.AddSingleton<ICommandModule, SslLinkCommands>();
        services.AddSingleton<ICommandModule, HttpProfileCommands>();
        services.TryAddSingleton<Capture.Tap.ConnectionTaps>();
        services.TryAddSingleton<ProtocolErrors.ProtocolErrorLog>();
        services.AddSingleton<Requests.RequestSelection>();
        services.AddSingleton(sp => new Proxying.DeadlineSweeper(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Proxying.ServerConnector>();
        services.TryAddSingleton(Logging.AccessLogOptions.None);
        services.AddSingleton(sp => new Logging.AccessLog(sp.GetRequiredService<Logging.AccessLogOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new Proxying.ProxyServices(
            sp.GetRequiredService<Requests.RequestSelection>(),
            sp.GetRequiredService<Proxying.ServerConnector>(),
            sp.GetRequiredService<Proxying.DeadlineSweeper>(),
            sp.GetRequiredService<ProtocolErrors.ProtocolErrorLog>(),
            sp.GetRequiredService<Capture.Tap.ConnectionTaps>(),
            sp.GetRequiredService<ClientIp.ClientIpOptions>(),
            sp.GetService<Relaying.RelayOptions>() ?? new Relaying.RelayOptions(),
            sp.GetRequiredService<Responder.ResponderRuntime>(),
            sp.GetRequiredService<Rewrite.RewriteRuntime>(),
            sp.GetRequiredService<Logging.AccessLog>(),
            sp.GetRequiredService<Caching.CacheRuntime>(),
            sp.GetRequiredService<Caching.HttpDateClock>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("Portico.Http.Proxying"))
        {
            Compression = sp.GetRequiredService<Compression.CmpRuntime>(),
        });
        services.AddSingleton<L7Connections>();
        services.AddSingleton<IEstablishedConnections>(sp => sp.GetRequiredService<L7Connections>());
        services.TryAddSingleton(new HttpListenerOptions(HttpListenerOptions.DefaultDrainTimeout));
        services.AddSingleton<HttpListeners>();
        services.AddSingleton<IVserverListeners>(sp => sp.GetRequiredService<HttpListeners>());
        services.AddHostedService<HttpHostedService>();
        return services;
    }
}
