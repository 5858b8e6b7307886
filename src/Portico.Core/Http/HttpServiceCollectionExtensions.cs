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
        services.AddSingleton<L7Connections>();
        services.AddSingleton<IEstablishedConnections>(sp => sp.GetRequiredService<L7Connections>());
        services.TryAddSingleton(new HttpListenerOptions(HttpListenerOptions.DefaultDrainTimeout));
        services.AddSingleton<HttpListeners>();
        services.AddSingleton<IVserverListeners>(sp => sp.GetRequiredService<HttpListeners>());
        services.AddHostedService<HttpHostedService>();
        return services;
    }
}
