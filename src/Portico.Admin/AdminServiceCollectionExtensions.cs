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
}
