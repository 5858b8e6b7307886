using Microsoft.Extensions.DependencyInjection;

namespace Portico.Admin.Dashboard;

/// <summary>Registers the web dashboard that the admin HTTP listener serves under <c>/gui/</c>.</summary>
public static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<DashboardLogin>();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<DashboardState>();
        services.AddSingleton<DashboardHistory>();
        services.AddSingleton<DashboardBatch>();
        services.AddSingleton<DashboardCaptures>();
        services.AddSingleton(sp => new DashboardSite(sp.GetRequiredService<DashboardAssets>(), sp.GetRequiredService<DashboardLogin>(),
            sp.GetRequiredService<DashboardState>(), sp.GetRequiredService<DashboardHistory>(), sp.GetRequiredService<DashboardBatch>(),
            sp.GetRequiredService<DashboardQueries>(), sp.GetRequiredService<DashboardCaptures>()));
        return services;
    }
}
