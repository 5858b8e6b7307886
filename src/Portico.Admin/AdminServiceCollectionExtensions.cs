using Microsoft.Extensions.DependencyInjection;
using Portico.Admin.Endpoint;

namespace Portico.Admin;

/// <summary>Registers the admin endpoint on a Unix socket.</summary>
public static class AdminServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoAdmin(this IServiceCollection services, string socketPath)
    {
        services.AddSingleton(new AdminEndpointOptions(socketPath));
        services.AddSingleton<ConfigReloader>();
        services.AddHostedService<AdminEndpoint>();
        return services;
    }

    /// <summary>Registers the admin HTTP listener (<c>/metrics</c>); <see cref="Http.AdminHttpOptions.None"/> registers it idle.</summary>
    public static IServiceCollection AddPorticoAdminHttp(this IServiceCollection services, Http.AdminHttpOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<Http.AdminHttpServer>();
        services.AddHostedService(sp => sp.GetRequiredService<Http.AdminHttpServer>());
        return services;
    }
}
