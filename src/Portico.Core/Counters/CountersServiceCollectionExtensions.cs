using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Counters.Commands;
using Portico.Counters.History;

namespace Portico.Counters;

/// <summary>Registers the counter catalogue, the CPU sampler, the components' counter sets and the history log.</summary>
public static class CountersServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoCounters(this IServiceCollection services)
    {
        services.TryAddSingleton(new HistoryOptions(null));
        services.AddSingleton<CounterCatalog>();
        services.AddSingleton<CpuUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<CpuUsage>());
        services.AddSingleton<ICounterSet, VserverCounterSet>();
        services.AddSingleton<ICounterSet, ServiceCounterSet>();
        services.AddSingleton<ICounterSet, ProcessCounterSet>();
        services.AddSingleton<ICommandModule, HistoryCommands>();
        services.AddSingleton<HistorySampler>();
        services.AddHostedService(sp => sp.GetRequiredService<HistorySampler>());
        return services;
    }
}
