using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;
using Portico.HighAvailability.Commands;
using Portico.Listeners;

namespace Portico.HighAvailability;

/// <summary>Registers the HA pair: its commands, this node's side of the pair, and the listeners' ownership policy.</summary>
public static class HaServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoHighAvailability(this IServiceCollection services)
    {
        services.AddSingleton<ICommandModule, HaCommands>();
        services.AddSingleton<HaOwnership>();
        services.AddSingleton<IVipOwnershipPolicy>(sp => sp.GetRequiredService<HaOwnership>());
        services.AddSingleton<HaNode>();
        services.AddHostedService(sp => sp.GetRequiredService<HaNode>());
        return services;
    }

    /// <summary>The etcd witness (<c>--ha-witness</c>): the primary role becomes an etcd lease.</summary>
    public static IServiceCollection AddPorticoHaWitness(this IServiceCollection services, HaWitnessOptions options)
    {
        services.AddSingleton(options);
        services.AddHostedService<HaWitness>();
        return services;
    }
}
