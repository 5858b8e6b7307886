using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;
using Portico.Counters;
using Portico.Persistence.Commands;

namespace Portico.Persistence;

/// <summary>Registers the persistence policies the L4 and L7 paths share, their table, sweeper, counters and commands.</summary>
public static class PersistenceServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoPersistence(this IServiceCollection services)
    {
        services.TryAddSingleton<SourceIpPersistenceTable>();
        services.TryAddSingleton<PersistencePolicies>();
        services.AddSingleton<ICommandModule, PersistenceCommands>();
        services.AddSingleton<ICounterSet, PersistenceCounterSet>();
        services.AddHostedService<PersistenceSweeper>();
        return services;
    }
}
