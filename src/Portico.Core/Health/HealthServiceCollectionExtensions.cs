using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Health.Commands;

namespace Portico.Health;

/// <summary>Registers health monitoring (it writes to the event log, <c>AddPorticoEvents</c>).</summary>
public static class HealthServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoHealth(this IServiceCollection services)
    {
        services.TryAddSingleton(new HealthOptions());
        services.AddSingleton<ICommandModule, MonitorCommands>();
        services.AddSingleton<ICommandModule, MonitorBindingCommands>();
        services.AddSingleton<HealthMonitors>();
        services.AddSingleton<Counters.ICounterSet, HealthCounterSet>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthMonitors>());
        return services;
    }
}
