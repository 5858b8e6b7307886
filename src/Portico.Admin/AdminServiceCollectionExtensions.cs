using Microsoft.Extensions.DependencyInjection;
using Portico.Admin.AdminSocket;
using Portico.Admin.Dashboard;

namespace Portico.Admin;

/// <summary>Registers the admin socket (a Unix socket) and the metrics listener.</summary>
public static class AdminServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoAdmin(this IServiceCollection services, string socketPath)
    {
        services.AddSingleton(new AdminEndpointOptions(socketPath));
        services.AddSingleton<ConfigReloader>();
        services.AddHostedService<AdminEndpoint>();
        return services;
    }

    /// <summary>Registers the admin HTTP listener (<c>/metrics</c>); <see cref="Metrics.AdminHttpOptions.None"/> registers it idle.</summary>
    /// <summary>Registers the NITRO REST API that the admin HTTP listener serves (<c>/nitro/v1/...</c>).</summary>
    public static IServiceCollection AddPorticoNitro(this IServiceCollection services)
    {
        services.AddSingleton<Nitro.NitroSessions>();
        services.AddSingleton<Nitro.LoginLimiter>();
        services.AddSingleton<Nitro.NitroAuthentication>();
        services.AddSingleton(sp => new Nitro.NitroCommandLine(sp.GetRequiredService<Portico.CommandLanguage.ICommandCatalog>()));
        services.AddSingleton<Nitro.NitroConfigReader>();
        services.AddSingleton<Nitro.NitroApi>();
        return services;
    }

    public static IServiceCollection AddPorticoAdminHttp(this IServiceCollection services, Metrics.AdminHttpOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<Metrics.AdminHttpServer>();
        services.AddPorticoNitro();
        services.AddPorticoDashboard();
        services.AddHostedService(sp => sp.GetRequiredService<Metrics.AdminHttpServer>());
        return services;
    }
}
